package io.mediamesh.gateway.contract;

import io.mediamesh.common.api.Limits;
import io.mediamesh.gateway.testing.ContractClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.Reader;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks both contracts and checks every numeric limit in them (minimum, maximum, minLength, maxLength, minItems,
 * maxItems: in schemas, their items, parameters and inline bodies) against {@link Limits}, the constants the services
 * validate with. A limit changed on one side only fails here, and so does a limit added to a contract without a
 * constant behind it: the contract and the services cannot drift apart again.
 */
class ContractLimitsTest {

  private static final List<String> KEYWORDS = List.of("minimum", "maximum", "minLength", "maxLength", "minItems",
    "maxItems");

  /** Where each limit stands in the contracts, and the constant it must equal. */
  static final Map<String, Number> EXPECTED = new LinkedHashMap<>();

  private static void limit(String where, Number value) {
    EXPECTED.put(where, value);
  }

  static {
    for (String s : List.of("LoginRequest", "UserCreate", "RegisterRequest")) {
      limit("schemas." + s + ".email.minLength", Limits.EMAIL_MIN);
      limit("schemas." + s + ".email.maxLength", Limits.EMAIL_MAX);
      limit("schemas." + s + ".password.maxLength", Limits.PASSWORD_MAX);
    }
    limit("schemas.LoginRequest.password.minLength", 1); // any wrong password is a 401, never a hint of the policy
    limit("schemas.UserCreate.password.minLength", Limits.PASSWORD_MIN);
    limit("schemas.RegisterRequest.password.minLength", Limits.PASSWORD_MIN);
    for (String s : List.of("UserCreate", "UserUpdate", "RegisterRequest")) {
      limit("schemas." + s + ".displayName.minLength", 1);
      limit("schemas." + s + ".displayName.maxLength", Limits.DISPLAY_NAME_MAX);
    }
    limit("schemas.RefreshRequest.refreshToken.minLength", 1);
    limit("schemas.RefreshRequest.refreshToken.maxLength", Limits.REFRESH_TOKEN_MAX);
    limit("schemas.Tokens.expiresIn.minimum", 1); // an answer's field, not an input
    for (String s : List.of("ProfileCreate", "ProfileUpdate")) {
      limit("schemas." + s + ".name.minLength", 1);
      limit("schemas." + s + ".name.maxLength", Limits.PROFILE_NAME_MAX);
      limit("schemas." + s + ".avatar.maxLength", Limits.AVATAR_MAX);
      limit("schemas." + s + ".pin.minLength", Limits.PIN_MIN);
      limit("schemas." + s + ".pin.maxLength", Limits.PIN_MAX);
    }
    limit("schemas.ProfileSelect.pin.maxLength", Limits.PIN_INPUT_MAX);
    limit("schemas.ProfileUpdate.currentPin.maxLength", Limits.PIN_INPUT_MAX);
    limit("body.deleteProfile.currentPin.maxLength", Limits.PIN_INPUT_MAX);
    limit("schemas.ProfileList.items.maxItems", Limits.PROFILES_MAX);
    for (String s : List.of("Program", "ProgramUpdate", "Episode", "EpisodeUpdate", "Metadata", "MetadataUpdate")) {
      limit("schemas." + s + ".version.minimum", Limits.VERSION_MIN);
    }
    for (String s : List.of("ProgramCreate", "ProgramUpdate", "EpisodeCreate", "EpisodeUpdate", "MetadataFields")) {
      limit("schemas." + s + ".title.minLength", 1);
      limit("schemas." + s + ".title.maxLength", Limits.TITLE_MAX);
      limit("schemas." + s + ".description.maxLength", Limits.DESCRIPTION_MAX);
    }
    for (String s : List.of("EpisodeCreate", "EpisodeUpdate")) {
      limit("schemas." + s + ".seasonNumber.minimum", Limits.SEASON_MIN);
      limit("schemas." + s + ".seasonNumber.maximum", Limits.SEASON_MAX);
      limit("schemas." + s + ".episodeNumber.minimum", Limits.EPISODE_NUMBER_MIN);
      limit("schemas." + s + ".episodeNumber.maximum", Limits.EPISODE_NUMBER_MAX);
    }
    for (String s : List.of("EpisodeCreate", "EpisodeUpdate", "MetadataFields")) {
      limit("schemas." + s + ".durationSeconds.minimum", 0);
      limit("schemas." + s + ".durationSeconds.maximum", Limits.DURATION_MAX);
    }
    limit("schemas.MetadataFields.language.minLength", Limits.LANGUAGE_MIN);
    limit("schemas.MetadataFields.language.maxLength", Limits.LANGUAGE_MAX);
    limit("schemas.MetadataFields.tags.maxItems", Limits.TAGS_MAX);
    limit("schemas.MetadataFields.tags.items.minLength", 1);
    limit("schemas.MetadataFields.tags.items.maxLength", Limits.TAG_LENGTH_MAX);
    limit("schemas.MetadataFields.genres.maxItems", Limits.GENRES_MAX);
    limit("schemas.MetadataFields.genres.items.minLength", 1);
    limit("schemas.MetadataFields.genres.items.maxLength", Limits.GENRE_LENGTH_MAX);
    limit("schemas.MetadataFields.credits.maxItems", Limits.CREDITS_MAX);
    limit("schemas.Credit.name.minLength", 1);
    limit("schemas.Credit.name.maxLength", Limits.CREDIT_NAME_MAX);
    limit("schemas.Credit.character.maxLength", Limits.CREDIT_NAME_MAX);
    limit("schemas.DirectUploadRequest.mimeType.minLength", Limits.MIME_TYPE_MIN);
    limit("schemas.DirectUploadRequest.mimeType.maxLength", Limits.MIME_TYPE_MAX);
    limit("schemas.DirectUploadRequest.sizeBytes.minimum", Limits.SIZE_BYTES_MIN);
    for (String side : List.of("width", "height")) {
      limit("schemas.ThumbnailRequest." + side + ".minimum", Limits.THUMBNAIL_MIN);
      limit("schemas.ThumbnailRequest." + side + ".maximum", Limits.THUMBNAIL_MAX);
    }
    limit("schemas.MediaImportRequest.url.minLength", Limits.URL_MIN);
    limit("schemas.MediaImportRequest.url.maxLength", Limits.URL_MAX);
    limit("schemas.MediaImportRequest.sha256.minLength", Limits.SHA256_HEX);
    limit("schemas.MediaImportRequest.sha256.maxLength", Limits.SHA256_HEX);
    limit("schemas.IngestJobCreate.sourceUrl.minLength", Limits.URL_MIN);
    limit("schemas.IngestJobCreate.sourceUrl.maxLength", Limits.URL_MAX);
    limit("schemas.IngestSourceCreate.url.minLength", Limits.URL_MIN);
    limit("schemas.IngestSourceCreate.url.maxLength", Limits.URL_MAX);
    limit("schemas.IngestSourceCreate.intervalSeconds.minimum", Limits.INTERVAL_MIN);
    limit("schemas.IngestSourceCreate.intervalSeconds.maximum", Limits.INTERVAL_MAX);
    limit("parameters.Page.minimum", 0);
    limit("parameters.Page.maximum", Limits.PAGE_MAX);
    limit("parameters.SearchPage.minimum", 0);
    limit("parameters.SearchPage.maximum", Limits.SEARCH_PAGE_MAX);
    limit("parameters.Size.minimum", 1);
    limit("parameters.Size.maximum", Limits.SIZE_MAX);
    limit("parameters.IfMatch.maxLength", Limits.IF_MATCH_MAX);
    limit("parameters.UploadLength.minimum", Limits.SIZE_BYTES_MIN);
    limit("parameters.UploadOffset.minimum", 0);
    limit("path./api/v1/metadata/{id}/versions/{version}/restore.version.minimum", Limits.VERSION_MIN);
    limit("path./api/v1/metadata/{id}/versions/{version}/restore.version.maximum", Limits.VERSION_MAX);
    for (String op : List.of("listPrograms", "search")) {
      limit("operation." + op + ".language.minLength", Limits.LANGUAGE_MIN);
      limit("operation." + op + ".language.maxLength", Limits.LANGUAGE_MAX);
    }
    for (String op : List.of("search", "suggest")) {
      limit("operation." + op + ".q.minLength", 1);
      limit("operation." + op + ".q.maxLength", Limits.QUERY_MAX);
    }
    limit("operation.search.genre.minLength", 1);
    limit("operation.search.genre.maxLength", Limits.GENRE_LENGTH_MAX);
    limit("operation.suggest.limit.minimum", 1);
    limit("operation.suggest.limit.maximum", Limits.SUGGEST_LIMIT_MAX);
    for (String op : List.of("trending", "popular")) {
      limit("operation." + op + ".limit.minimum", 1);
      limit("operation." + op + ".limit.maximum", Limits.RANKED_LIMIT_MAX);
    }
    limit("schemas.FramesRequest.everySeconds.minimum", Limits.FRAMES_EVERY_MIN);
    limit("schemas.FramesRequest.everySeconds.maximum", Limits.FRAMES_EVERY_MAX);
    limit("schemas.FramesRequest.fps.minimum", Limits.FRAMES_FPS_MIN);
    limit("schemas.FramesRequest.fps.maximum", Limits.FRAMES_FPS_MAX);
    limit("schemas.FramesRequest.width.minimum", Limits.FRAMES_WIDTH_MIN);
    limit("schemas.FramesRequest.width.maximum", Limits.FRAMES_WIDTH_MAX);
    limit("schemas.ProcessingJob.percent.minimum", 0); // an answer's field, not an input
    limit("schemas.ProcessingJob.percent.maximum", 100);
    for (String s : List.of("Access", "PlanWrite")) {
      limit("schemas." + s + ".packages.maxItems", Limits.PACKAGES_MAX);
      limit("schemas." + s + ".packages.items.minLength", 1);
      limit("schemas." + s + ".packages.items.maxLength", Limits.PACKAGE_LENGTH_MAX);
    }
    for (String price : List.of("purchasePrice", "rentalPrice")) {
      limit("schemas.Access." + price + ".minimum", 0);
      limit("schemas.Access." + price + ".maximum", Limits.PRICE_MAX);
    }
    limit("schemas.PlanWrite.name.minLength", 1);
    limit("schemas.PlanWrite.name.maxLength", Limits.PLAN_NAME_MAX);
    limit("schemas.PlanWrite.description.maxLength", Limits.DESCRIPTION_MAX);
    limit("schemas.PlanWrite.price.minimum", 0);
    limit("schemas.PlanWrite.price.maximum", Limits.PRICE_MAX);
    limit("schemas.PlanWrite.periodDays.minimum", Limits.PERIOD_DAYS_MIN);
    limit("schemas.PlanWrite.periodDays.maximum", Limits.PERIOD_DAYS_MAX);
    limit("schemas.PlanWrite.maxStreams.minimum", Limits.MAX_STREAMS_MIN);
    limit("schemas.PlanWrite.maxStreams.maximum", Limits.MAX_STREAMS_MAX);
    limit("schemas.PlanWrite.maxQuality.minimum", Limits.QUALITY_MIN);
    limit("schemas.PlanWrite.maxQuality.maximum", Limits.QUALITY_MAX);
    limit("schemas.GrantRequest.days.minimum", Limits.GRANT_DAYS_MIN);
    limit("schemas.GrantRequest.days.maximum", Limits.GRANT_DAYS_MAX);
    limit("schemas.HeartbeatRequest.positionSeconds.minimum", 0);
    limit("schemas.HeartbeatRequest.positionSeconds.maximum", Limits.POSITION_MAX);
    limit("operation.stopSession.positionSeconds.minimum", 0);
    limit("operation.stopSession.positionSeconds.maximum", Limits.POSITION_MAX);
    limit("parameters.StreamToken.maxLength", io.mediamesh.common.stream.PathTokens.MAX_LENGTH);
    limit("body.graphql.query.minLength", 1);
    limit("body.graphql.query.maxLength", Limits.GRAPHQL_QUERY_MAX);
  }

  @Test
  void everyLimitInBothContractsIsTheServicesConstant() throws Exception {
    Map<String, Number> seen = new TreeMap<>();
    for (String file : List.of("cms-v1.yaml", "discovery-v1.yaml")) {
      Map<String, Number> found = limits(load(file));
      for (Map.Entry<String, Number> e : found.entrySet()) {
        assertThat(EXPECTED).as("%s: %s has no constant in Limits (add one, and validate with it)", file, e.getKey())
          .containsKey(e.getKey());
        assertThat(e.getValue().longValue()).as("%s: %s", file, e.getKey())
          .isEqualTo(EXPECTED.get(e.getKey()).longValue());
      }
      seen.putAll(found);
    }
    assertThat(seen.keySet()).as("limits expected here but in neither contract").containsAll(EXPECTED.keySet());
  }

  static JsonObject load(String name) throws Exception {
    try (Reader in = Files.newBufferedReader(ContractClient.contract(name))) {
      Map<String, Object> yaml = new Yaml().load(in);
      return new JsonObject(yaml);
    }
  }

  /** Every limit in a contract, by where it stands. */
  static Map<String, Number> limits(JsonObject contract) {
    Map<String, Number> out = new TreeMap<>();
    JsonObject components = contract.getJsonObject("components", new JsonObject());
    JsonObject schemas = components.getJsonObject("schemas", new JsonObject());
    for (String name : schemas.fieldNames()) {
      properties("schemas." + name, schemas.getJsonObject(name), out);
    }
    JsonObject parameters = components.getJsonObject("parameters", new JsonObject());
    for (String name : parameters.fieldNames()) {
      keywords("parameters." + name, parameters.getJsonObject(name).getJsonObject("schema", new JsonObject()), out);
    }
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      inlineParameters("path." + path, item.getJsonArray("parameters"), out);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject op) || !op.containsKey("operationId")) {
          continue;
        }
        String id = op.getString("operationId");
        inlineParameters("operation." + id, op.getJsonArray("parameters"), out);
        JsonObject body = op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject())
          .getJsonObject("application/json", new JsonObject()).getJsonObject("schema", new JsonObject());
        properties("body." + id, body, out);
      }
    }
    return out;
  }

  private static void properties(String where, JsonObject schema, Map<String, Number> out) {
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      if (schema.getValue(combinator) instanceof JsonArray parts) {
        for (Object part : parts) {
          if (part instanceof JsonObject p) {
            properties(where, p, out); // a $ref part is walked where it is defined
          }
        }
      }
    }
    for (String branch : List.of("if", "then", "else")) {
      if (schema.getValue(branch) instanceof JsonObject b) {
        properties(where, b, out);
      }
    }
    JsonObject props = schema.getJsonObject("properties", new JsonObject());
    for (String p : props.fieldNames()) {
      JsonObject prop = props.getJsonObject(p);
      keywords(where + "." + p, prop, out);
      if (prop.getValue("items") instanceof JsonObject items) {
        keywords(where + "." + p + ".items", items, out);
      }
    }
  }

  private static void inlineParameters(String where, JsonArray parameters, Map<String, Number> out) {
    if (parameters == null) {
      return;
    }
    for (Object o : parameters) {
      JsonObject p = (JsonObject) o;
      if (p.containsKey("name") && p.getValue("schema") instanceof JsonObject schema) {
        keywords(where + "." + p.getString("name"), schema, out);
      }
    }
  }

  private static void keywords(String where, JsonObject schema, Map<String, Number> out) {
    for (String k : KEYWORDS) {
      if (schema.getValue(k) instanceof Number n) {
        out.put(where + "." + k, n);
      }
    }
  }
}
