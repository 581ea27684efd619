package io.mediamesh.playback;

import io.mediamesh.common.bus.Caller;

/**
 * Who watches: the account (the caller's user) and, once profiles are selected into tokens, the profile and its age
 * limit. Rights and stream slots belong to the account; progress belongs to the viewer (account and profile).
 */
record Viewer(String account, String profile, Integer maxAgeRating) {

  static Viewer of(Caller caller) {
    return new Viewer(caller.userId(), "", null);
  }
}
