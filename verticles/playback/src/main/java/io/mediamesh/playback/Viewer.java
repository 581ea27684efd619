package io.mediamesh.playback;

import io.mediamesh.common.bus.Caller;

/**
 * Who watches: the account (the caller's user) and the profile its token is scoped to ({@code ""} for the account as
 * a whole), with that profile's age limit (null: none). Rights and stream slots belong to the account; progress
 * belongs to the viewer (account and profile).
 */
record Viewer(String account, String profile, Integer maxAgeRating) {

  static Viewer of(Caller caller) {
    return new Viewer(caller.userId(), caller.profileId() == null ? "" : caller.profileId(), caller.ageLimit());
  }
}
