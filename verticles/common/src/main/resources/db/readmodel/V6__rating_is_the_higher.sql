-- An episode's effective age rating is the higher of its own and its program's (null only when neither is rated): an
-- episode rated 6 of a program rated 18 is not for a kids profile, whatever its own rating says. An episode without
-- genres of its own has its program's (a genre filter finds the episodes of a family series).
CREATE OR REPLACE VIEW rm_visible AS
SELECT c.id,
       c.type,
       c.program_id,
       c.title,
       coalesce(c.description, m.description) AS description,
       c.season_number,
       c.episode_number,
       coalesce(c.duration_seconds, m.duration_seconds) AS duration_seconds,
       c.published_at,
       c.version,
       m.category,
       m.language,
       coalesce(m.tags, '{}') AS tags,
       m.publish_date,
       (SELECT coalesce((SELECT t.storage_key FROM rm_media t
                          WHERE t.parent_id = i.id AND t.kind = 'THUMBNAIL' AND t.status = 'READY'
                          ORDER BY t.created_at DESC, t.id LIMIT 1), i.storage_key)
          FROM rm_media i
         WHERE i.content_id = c.id AND i.kind = 'IMAGE' AND i.status = 'READY'
         ORDER BY i.created_at DESC, i.id LIMIT 1) AS thumbnail_key,
       (SELECT a.storage_key FROM rm_media a
         WHERE a.content_id = c.id AND a.kind IN ('VIDEO', 'AUDIO') AND a.status = 'READY'
         ORDER BY a.created_at DESC, a.id LIMIT 1) AS media_key,
       CASE WHEN cardinality(m.genres) > 0 THEN m.genres ELSE coalesce(pm.genres, '{}') END AS genres,
       m.age_rating,
       coalesce(CASE WHEN c.type = 'PROGRAM' THEN c.kind ELSE p.kind END, 'SERIES') AS kind,
       greatest(m.age_rating, pm.age_rating) AS rating
  FROM rm_content c
  LEFT JOIN rm_metadata m ON m.content_id = c.id AND NOT m.deleted
  LEFT JOIN rm_content p ON p.id = c.program_id
  LEFT JOIN rm_metadata pm ON pm.content_id = c.program_id AND NOT pm.deleted
 WHERE c.status = 'PUBLISHED'
   AND (c.type = 'PROGRAM' OR p.status = 'PUBLISHED');
