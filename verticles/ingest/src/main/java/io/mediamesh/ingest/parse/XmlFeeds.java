package io.mediamesh.ingest.parse;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import io.mediamesh.ingest.domain.ImportFailure;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.input.JDOMParseException;
import org.jdom2.input.SAXBuilder;
import org.jdom2.input.sax.XMLReaders;
import org.jdom2.Namespace;
import org.xml.sax.InputSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads RSS and Atom with Rome, hardened: a DOCTYPE that declares anything (an internal subset) is refused, so no
 * entity is ever defined or expanded and XXE and "billion laughs" both fail before they start; a DOCTYPE that only
 * names a DTD (RSS 0.91's standard Netscape one) is dropped unread, so no DTD is ever fetched; no XML healing (the
 * bytes are parsed as sent, the encoding taken from the XML declaration). The tree is parsed here, then
 * {@link FeedRepairs} mends what publishers get wrong and the library cannot read, then Rome maps it. Extension elements Rome does not
 * model (iTunes, Media RSS, YouTube) are read from the foreign markup it keeps.
 */
final class XmlFeeds {

  static final Namespace ITUNES = Namespace.getNamespace("http://www.itunes.com/dtds/podcast-1.0.dtd");
  static final Namespace MEDIA = Namespace.getNamespace("http://search.yahoo.com/mrss/");
  static final Namespace YOUTUBE = Namespace.getNamespace("http://www.youtube.com/xml/schemas/2015");

  private XmlFeeds() {
  }

  /** Deeper than any real feed (RSS items sit at depth 3, their extensions at 4 or 5). */
  static final int MAX_DEPTH = 64;

  static SyndFeed read(byte[] feed) {
    byte[] bytes = withoutExternalDoctype(feed);
    checkDepth(bytes);
    Document document = document(bytes);
    String repaired = FeedRepairs.apply(document);
    SyndFeedInput input = new SyndFeedInput(false, Locale.ROOT);
    try {
      return input.build(document);
    } catch (FeedException | RuntimeException e) {
      // the parser library's own failures (some are null pointers on valid feeds): said, not thrown on as 500s
      throw ImportFailure.permanent("the feed cannot be read as RSS or Atom (root element <"
        + document.getRootElement().getName() + ">" + (repaired.isEmpty() ? "" : ", after " + repaired) + "): "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  /**
   * The XML tree, parsed as sent (no healing; the encoding from the XML declaration) by a parser that refuses any
   * DOCTYPE left (one with declarations: entities are never defined, so XXE and entity expansion cannot start) and
   * fetches nothing.
   */
  static Document document(byte[] bytes) {
    SAXBuilder builder = new SAXBuilder(XMLReaders.NONVALIDATING);
    builder.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    builder.setFeature("http://xml.org/sax/features/external-general-entities", false);
    builder.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    builder.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    builder.setExpandEntities(false);
    try {
      return builder.build(new InputSource(new ByteArrayInputStream(bytes)));
    } catch (JDOMParseException e) {
      String message = String.valueOf(e.getMessage());
      if (message.toLowerCase(Locale.ROOT).contains("doctype")) {
        throw ImportFailure.permanent("refused: the feed has a DOCTYPE declaration (DTDs and entities are not "
          + "accepted)");
      }
      throw ImportFailure.permanent("the response is not well-formed XML (line " + e.getLineNumber() + ", column "
        + e.getColumnNumber() + "): " + message);
    } catch (JDOMException | IOException e) {
      throw ImportFailure.permanent("the response is not well-formed XML: " + e.getMessage());
    }
  }

  /**
   * The document without its DOCTYPE when that only names an external DTD ({@code <!DOCTYPE rss PUBLIC "..."
   * "...">}): the DTD is never fetched, so nothing it declares applies, and the feed is parsed as if it had none. A
   * DOCTYPE with an internal subset ({@code [...]}, where entities are declared) is left in place, for the parser to
   * refuse. Reads the prolog as ASCII, which every encoding a feed is served in agrees on for these characters.
   */
  static byte[] withoutExternalDoctype(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.ISO_8859_1);
    int start = head.indexOf("<!DOCTYPE");
    if (start < 0 || !prologOnly(head.substring(0, start))) {
      return bytes; // none, or after the first element (then the parser refuses it)
    }
    char quote = 0;
    for (int i = start + "<!DOCTYPE".length(); i < head.length(); i++) {
      char c = head.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        return bytes; // an internal subset: declarations, refused
      } else if (c == '>') {
        byte[] out = new byte[bytes.length - (i + 1 - start)];
        System.arraycopy(bytes, 0, out, 0, start);
        System.arraycopy(bytes, i + 1, out, start, bytes.length - i - 1);
        return out;
      }
    }
    return bytes;
  }

  /** Whether {@code text} holds nothing but the prolog's XML declaration, comments, processing instructions and space. */
  private static boolean prologOnly(String text) {
    String rest = text.replaceAll("(?s)<\\?.*?\\?>", "").replaceAll("(?s)<!--.*?-->", "");
    return rest.strip().replace("\uFEFF", "").isEmpty();
  }

  /**
   * Refuses a document nested deeper than {@link #MAX_DEPTH} before Rome builds its tree, which recurses per level
   * (50,000 nested elements overflowed the stack). A streaming pass with StAX keeps no stack of its own, and reads
   * no DTD: a DOCTYPE is refused by Rome right after.
   */
  static void checkDepth(byte[] bytes) {
    javax.xml.stream.XMLInputFactory factory = javax.xml.stream.XMLInputFactory.newFactory();
    factory.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(javax.xml.stream.XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    javax.xml.stream.XMLStreamReader reader = null;
    try {
      reader = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
      int depth = 0;
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == javax.xml.stream.XMLStreamConstants.START_ELEMENT && ++depth > MAX_DEPTH) {
          throw ImportFailure.permanent("refused: the feed nests elements deeper than " + MAX_DEPTH + " levels");
        } else if (event == javax.xml.stream.XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
    } catch (javax.xml.stream.XMLStreamException e) {
      // not well-formed (or a DOCTYPE this pass does not read): Rome says what is wrong
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (javax.xml.stream.XMLStreamException ignored) {
          // nothing held but the byte array
        }
      }
    }
  }

  /** The first child element named {@code name} in {@code ns} among the foreign markup. */
  static Optional<Element> child(List<Element> markup, Namespace ns, String name) {
    return markup.stream().filter(e -> e.getName().equals(name) && ns.getURI().equals(e.getNamespaceURI()))
      .findFirst();
  }

  static String childText(List<Element> markup, Namespace ns, String name) {
    return child(markup, ns, name).map(Element::getTextTrim).filter(t -> !t.isEmpty()).orElse(null);
  }

  static String attribute(Optional<Element> element, String name) {
    return element.map(e -> e.getAttributeValue(name)).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
  }

  static OffsetDateTime time(Date date) {
    return date == null ? null : date.toInstant().atOffset(ZoneOffset.UTC);
  }
}
