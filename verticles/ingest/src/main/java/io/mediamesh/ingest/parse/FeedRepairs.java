package io.mediamesh.ingest.parse;

import org.jdom2.Content;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.Namespace;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Mends, in the parsed tree, what valid or nearly valid feeds do that the parser library cannot read, so they import
 * instead of failing whole:
 * <ul>
 *   <li>Atom written without its namespace ({@code <feed>} with no {@code xmlns}): given Atom 1.0's (or 0.3's, when
 *   it says {@code version="0.3"});</li>
 *   <li>RSS with its items straight under {@code <rss>}, without the {@code <channel>}: wrapped in one;</li>
 *   <li>Atom {@code mode="base64"} text: decoded here (the library's decoder throws on what it cannot decode); text
 *   that is not base64 is dropped from that element only.</li>
 * </ul>
 */
final class FeedRepairs {

  static final Namespace ATOM_10 = Namespace.getNamespace("http://www.w3.org/2005/Atom");
  static final Namespace ATOM_03 = Namespace.getNamespace("http://purl.org/atom/ns#");

  private FeedRepairs() {
  }

  /** Applies the repairs in place; answers what was mended ("" for nothing), for the job's error if it still fails. */
  static String apply(Document document) {
    List<String> done = new ArrayList<>();
    Element root = document.getRootElement();
    if (root.getName().equals("feed") && root.getNamespace().equals(Namespace.NO_NAMESPACE)) {
      moveToNamespace(root, "0.3".equals(root.getAttributeValue("version")) ? ATOM_03 : ATOM_10);
      done.add("giving <feed> the Atom namespace");
    }
    if (root.getName().equals("rss") && root.getChild("channel") == null) {
      Element channel = new Element("channel");
      List<Content> children = new ArrayList<>(root.getContent());
      root.removeContent();
      children.forEach(channel::addContent);
      root.addContent(channel);
      done.add("wrapping the items in a <channel>");
    }
    if (root.getAttribute("version") == null && root.getName().equals("rss")) {
      root.setAttribute("version", "2.0");
      done.add("reading <rss> without a version as 2.0");
    }
    int decoded = decodeBase64(root);
    if (decoded > 0) {
      done.add("decoding " + decoded + " base64 text element" + (decoded == 1 ? "" : "s"));
    }
    return String.join(", ", done);
  }

  /** Base64 text as UTF-8 text, or "" when it is not base64 of text (binary, or not base64 at all). */
  static String decoded(String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64.replaceAll("\\s+", ""));
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t') ? "" : text;
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return "";
    }
  }

  private static void moveToNamespace(Element element, Namespace ns) {
    if (element.getNamespace().equals(Namespace.NO_NAMESPACE)) {
      element.setNamespace(ns);
    }
    for (Element child : element.getChildren()) {
      moveToNamespace(child, ns);
    }
  }

  /** Decodes every Atom element with {@code mode="base64"} in place; the number decoded or dropped. */
  private static int decodeBase64(Element element) {
    int count = 0;
    boolean atom = element.getNamespace().equals(ATOM_03) || element.getNamespace().equals(ATOM_10);
    if (atom && "base64".equals(element.getAttributeValue("mode"))) {
      element.setText(decoded(element.getText()));
      element.setAttribute("mode", "escaped");
      count++;
    }
    for (Element child : element.getChildren()) {
      count += decodeBase64(child);
    }
    return count;
  }
}
