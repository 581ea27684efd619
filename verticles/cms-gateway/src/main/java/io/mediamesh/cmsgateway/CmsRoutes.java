package io.mediamesh.cmsgateway;

import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.api.SearchApi;
import io.mediamesh.gateway.AuthRoutes;
import io.mediamesh.gateway.Forward;
import io.mediamesh.gateway.GatewayRequest;
import io.mediamesh.gateway.GatewayRouter;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Every operation of {@code openapi/cms-v1.yaml}, each a thin forward to one bus address. */
final class CmsRoutes {

  private final GatewayRouter gw;
  private final MediaUploadProxy uploads;
  private final io.vertx.core.Vertx vertx;
  private final int maxProgressStreams;

  CmsRoutes(GatewayRouter gw, MediaUploadProxy uploads, io.vertx.core.Vertx vertx, int maxProgressStreams) {
    this.gw = gw;
    this.vertx = vertx;
    this.maxProgressStreams = maxProgressStreams;
    this.uploads = uploads;
  }

  void register() {
    gw.handle("contract", gw.contractDocument());
    AuthRoutes.register(gw);
    users(gw.downstream(AuthApi.SERVICE));
    programs(gw.downstream(CmsApi.SERVICE));
    episodes(gw.downstream(CmsApi.SERVICE));
    metadata(gw.downstream(MetadataApi.SERVICE));
    media(gw.downstream(MediaApi.SERVICE));
    processing(gw.downstream(ProcessingApi.SERVICE));
    ingest(gw.downstream(IngestApi.SERVICE));
    search(gw.downstream(SearchApi.SERVICE));
    playback(gw.downstream(PlaybackApi.SERVICE));
  }

  private void playback(Downstream playback) {
    gw.handle("getRights", Forward.query(playback, PlaybackApi.RIGHTS_GET)
      .with(r -> new JsonObject().put("contentType", r.path("contentType")).put("id", r.path("id"))));
    gw.handle("putRights", Forward.command(playback, PlaybackApi.RIGHTS_PUT)
      .with(r -> r.body().put("contentType", r.path("contentType")).put("id", r.path("id"))));
    gw.handle("listAllPlans", Forward.query(playback, PlaybackApi.PLANS_ALL));
    gw.handle("createPlan", Forward.command(playback, PlaybackApi.PLANS_CREATE).with(GatewayRequest::body)
      .status(201));
    gw.handle("updatePlan", Forward.command(playback, PlaybackApi.PLANS_UPDATE).withBodyAndId());
    gw.handle("createGrant", Forward.command(playback, PlaybackApi.GRANTS_CREATE)
      .with(r -> r.body().put("userId", r.path("id"))).status(201));
    gw.handle("revokeGrant", Forward.command(playback, PlaybackApi.GRANTS_REVOKE)
      .with(r -> new JsonObject().put("userId", r.path("id")).put("id", r.path("grantId"))).status(204));
  }

  private void users(Downstream auth) {
    gw.handle("listUsers", Forward.query(auth, AuthApi.USERS_LIST).with(r -> r.queryObject("page", "size", "role")));
    gw.handle("createUser", Forward.command(auth, AuthApi.USERS_CREATE).with(GatewayRequest::body).status(201));
    gw.handle("updateUser", Forward.command(auth, AuthApi.USERS_UPDATE).withBodyAndId());
  }

  private void programs(Downstream cms) {
    gw.handle("listPrograms", Forward.query(cms, CmsApi.PROGRAM_LIST)
      .with(r -> r.queryObject("status", "page", "size", "sort")));
    gw.handle("createProgram", Forward.command(cms, CmsApi.PROGRAM_CREATE).with(GatewayRequest::body).status(201).etag());
    gw.handle("getProgram", Forward.query(cms, CmsApi.PROGRAM_GET).withId().etag());
    gw.handle("updateProgram", Forward.command(cms, CmsApi.PROGRAM_UPDATE).withBodyAndId().ifMatch().etag());
    gw.handle("deleteProgram", Forward.command(cms, CmsApi.PROGRAM_DELETE).withId().status(204));
    gw.handle("publishProgram", Forward.command(cms, CmsApi.PROGRAM_PUBLISH).withBodyAndId().etag());
    gw.handle("unpublishProgram", Forward.command(cms, CmsApi.PROGRAM_UNPUBLISH).withId().etag());
    gw.handle("archiveProgram", Forward.command(cms, CmsApi.PROGRAM_ARCHIVE).withId().etag());
    gw.handle("restoreProgram", Forward.command(cms, CmsApi.PROGRAM_RESTORE).withId().etag());
  }

  private void episodes(Downstream cms) {
    gw.handle("listEpisodes", Forward.query(cms, CmsApi.EPISODE_LIST)
      .with(r -> r.queryObject("status", "page", "size", "sort").put("programId", r.path("id"))));
    gw.handle("createEpisode", Forward.command(cms, CmsApi.EPISODE_CREATE)
      .with(r -> r.body().put("programId", r.path("id"))).status(201).etag());
    gw.handle("getEpisode", Forward.query(cms, CmsApi.EPISODE_GET).withId().etag());
    gw.handle("updateEpisode", Forward.command(cms, CmsApi.EPISODE_UPDATE).withBodyAndId().ifMatch().etag());
    gw.handle("deleteEpisode", Forward.command(cms, CmsApi.EPISODE_DELETE).withId().status(204));
    gw.handle("publishEpisode", Forward.command(cms, CmsApi.EPISODE_PUBLISH).withBodyAndId().etag());
    gw.handle("unpublishEpisode", Forward.command(cms, CmsApi.EPISODE_UNPUBLISH).withId().etag());
  }

  private void metadata(Downstream metadata) {
    gw.handle("createMetadata", Forward.command(metadata, MetadataApi.CREATE).with(GatewayRequest::body).status(201).etag());
    gw.handle("getMetadata", Forward.query(metadata, MetadataApi.GET).withId().etag());
    gw.handle("updateMetadata", Forward.command(metadata, MetadataApi.UPDATE).withBodyAndId().ifMatch().etag());
    gw.handle("getMetadataByContent", Forward.query(metadata, MetadataApi.BY_CONTENT)
      .with(r -> new JsonObject().put("contentId", r.path("contentId"))).etag());
    gw.handle("listMetadataVersions", Forward.query(metadata, MetadataApi.VERSIONS)
      .with(r -> r.queryObject("page", "size").put("id", r.path("id"))));
    gw.handle("restoreMetadataVersion", Forward.command(metadata, MetadataApi.RESTORE)
      .with(r -> new JsonObject().put("id", r.path("id")).put("version", r.pathInteger("version")))
      .etag());
  }

  private void media(Downstream media) {
    gw.stream("uploadMedia", uploads.upload());
    for (String tus : List.of("tusOptions", "createTusUpload", "getTusUpload", "patchTusUpload",
      "terminateTusUpload")) {
      gw.stream(tus, uploads.tus());
    }
    gw.handle("createDirectUpload", Forward.command(media, MediaApi.UPLOADS_CREATE).with(GatewayRequest::body).status(201));
    gw.handle("completeDirectUpload", Forward.command(media, MediaApi.COMPLETE).withId());
    gw.handle("getMedia", Forward.query(media, MediaApi.GET).withId());
    gw.handle("deleteMedia", Forward.command(media, MediaApi.DELETE).withId().status(204));
    gw.handle("listMediaByContent", Forward.query(media, MediaApi.BY_CONTENT)
      .with(r -> new JsonObject().put("contentId", r.path("contentId"))));
    gw.handle("createThumbnail", Forward.command(media, MediaApi.THUMBNAIL).withBodyAndId());
    gw.handle("createMediaImport", Forward.command(media, MediaApi.IMPORTS_CREATE).with(GatewayRequest::body)
      .status(202));
    gw.handle("getMediaImport", Forward.query(media, MediaApi.IMPORTS_GET).withId());
  }

  private void processing(Downstream processing) {
    gw.handle("listProcessingJobs", Forward.query(processing, ProcessingApi.JOBS_LIST)
      .with(r -> r.queryObject("status", "type", "mediaId", "mine", "page", "size", "sort")));
    gw.handle("getProcessingJob", Forward.query(processing, ProcessingApi.JOBS_GET).withId());
    gw.stream("processingJobEvents", new JobProgressStream(vertx, processing, maxProgressStreams));
    gw.handle("retryProcessingJob", Forward.command(processing, ProcessingApi.JOBS_RETRY).withId());
    gw.handle("cancelProcessingJob", Forward.command(processing, ProcessingApi.JOBS_CANCEL).withId());
    gw.handle("createFramesJob", Forward.command(processing, ProcessingApi.FRAMES_CREATE).with(GatewayRequest::body)
      .status(202));
  }

  private void ingest(Downstream ingest) {
    gw.handle("listIngestJobs", Forward.query(ingest, IngestApi.JOBS_LIST)
      .with(r -> r.queryObject("status", "sourceId", "page", "size", "sort")));
    gw.handle("createIngestJob", Forward.command(ingest, IngestApi.JOBS_CREATE).with(GatewayRequest::body).status(201));
    gw.handle("getIngestJob", Forward.query(ingest, IngestApi.JOBS_GET).withId());
    gw.handle("deleteIngestJob", Forward.command(ingest, IngestApi.JOBS_DELETE).withId().status(204));
    gw.handle("retryIngestJob", Forward.command(ingest, IngestApi.JOBS_RETRY).withId());
    gw.handle("listIngestSources", Forward.query(ingest, IngestApi.SOURCES_LIST).with(r -> r.queryObject("page", "size")));
    gw.handle("createIngestSource", Forward.command(ingest, IngestApi.SOURCES_CREATE).with(GatewayRequest::body)
      .status(201));
    gw.handle("deleteIngestSource", Forward.command(ingest, IngestApi.SOURCES_DELETE).withId().status(204));
  }

  private void search(Downstream search) {
    gw.handle("reindexSearch", Forward.command(search, SearchApi.REINDEX).status(202));
    gw.handle("searchStatus", Forward.query(search, SearchApi.STATUS));
  }
}
