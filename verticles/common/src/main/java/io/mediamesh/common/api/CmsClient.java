package io.mediamesh.common.api;

import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.UUID;

/** What other services ask the CMS over the bus, typed: one place for the questions and what a "no" means. */
public final class CmsClient {

  private final BusClient bus;

  public CmsClient(BusClient bus) {
    this.bus = bus;
  }

  /**
   * Whether a program or episode ({@code contentType} PROGRAM or EPISODE) exists, asked as the caller: a 422 naming
   * {@code contentId} when it does not (something made for content that is not there would never be shown), any
   * other failure as it came.
   */
  public Future<Void> requireContent(Caller caller, UUID contentId, String contentType) {
    Operation<?> get = "PROGRAM".equals(contentType) ? CmsApi.PROGRAM_GET : CmsApi.EPISODE_GET;
    String kind = String.valueOf(contentType).toLowerCase(Locale.ROOT);
    return bus.request(get, new JsonObject().put("id", contentId.toString()), caller).<Void>mapEmpty()
      .recover(err -> err instanceof ServiceException se && se.code() == ErrorCode.NOT_FOUND
        ? Future.failedFuture(new ServiceException(ErrorCode.UNPROCESSABLE, "contentId: no " + kind + " with this id",
        new JsonObject().put("fields", new JsonObject().put("contentId", "no such " + kind))))
        : Future.failedFuture(err));
  }
}
