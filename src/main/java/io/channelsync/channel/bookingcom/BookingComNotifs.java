package io.channelsync.channel.bookingcom;

import io.channelsync.channel.ChannelCallException;
import io.channelsync.channel.ChannelHttp;
import io.channelsync.channel.ChannelProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@code OTA_HotelAvailNotif} and {@code OTA_HotelRateAmountNotif} share: the root element the pages fix,
 * the POST with {@code Accept-Version: 1.1} and the machine-account JWT, and reading the answer. An answer
 * holding {@code <Errors>} is a refusal of the whole request (permanent, dead-lettered at once); each
 * {@code <Warning>} is logged at WARN with the days and field of the message it names (by the {@code LocatorID}
 * or {@code RecordID} it carries; else the request's whole span), and the push goes on.
 */
@Component
public class BookingComNotifs {

    /** One message of a request as a warning names it: its number, days and the field it sets. */
    public record Sent(int locator, String days, String field) {
    }

    private static final Logger log = LoggerFactory.getLogger(BookingComNotifs.class);
    /** The samples' {@code TimeStamp}: seconds, no offset; we send UTC. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final ChannelProperties properties;
    private final BookingComTokenProvider tokens;
    private final ChannelHttp http;

    public BookingComNotifs(ChannelProperties properties, BookingComTokenProvider tokens, ChannelHttp http) {
        this.properties = properties;
        this.tokens = tokens;
        this.http = http;
    }

    /** The opening root element both pages fix: namespaces, schema location, TimeStamp, Target and Version. */
    static StringBuilder root(String name, String version, String target, Instant now) {
        return new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append('<').append(name).append(" xmlns=\"http://www.opentravel.org/OTA/2003/05\"")
                .append(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
                .append(" xsi:schemaLocation=\"http://www.opentravel.org/OTA/2003/05 ").append(name).append(".xsd\"")
                .append(" TimeStamp=\"").append(TIMESTAMP.format(now))
                .append("\" Target=\"").append(target(target)).append("\" Version=\"").append(version).append("\">\n");
    }

    /**
     * POSTs one request to {@code {base-url}/hotels/ota/{endpoint}}.
     *
     * @return the HTTP status (2xx)
     */
    int post(String endpoint, String what, String xml, List<Sent> sent) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.bookingCom().baseUrl() + "/hotels/ota/" + endpoint))
                .header("Accept-Version", "1.1")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml));
        HttpResponse<String> response = http.callWithBearer(BookingComConnector.PLATFORM, what, tokens, request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        if (body != null && body.contains("<Errors")) {
            throw new ChannelCallException(BookingComConnector.PLATFORM, response.statusCode(), what + " refused" + ChannelHttp.snippet(body), null);
        }
        if (body != null && body.contains("Warning")) {
            logWarnings(what, body, sent);
        }
        return response.statusCode();
    }

    private static void logWarnings(String what, String body, List<Sent> sent) {
        NodeList warnings;
        try {
            Document answer = OtaReservations.parse(body.getBytes(StandardCharsets.UTF_8));
            warnings = answer.getElementsByTagNameNS("*", "Warning");
        } catch (IOException e) {
            log.warn("{}: Booking.com answered warnings we could not read{}", what, ChannelHttp.snippet(body));
            return;
        }
        for (int i = 0; i < warnings.getLength(); i++) {
            Element warning = (Element) warnings.item(i);
            Sent named = named(warning, sent);
            log.warn("{}: Booking.com warning{} (code {}): {}", what,
                    named == null ? "" : " on days " + named.days() + ", field " + named.field(),
                    warning.getAttribute("Code"), warning.getTextContent().strip());
        }
    }

    /** The message a warning names by an attribute equal to its LocatorID (RecordID, LocatorID, RPH ...), if any. */
    private static Sent named(Element warning, List<Sent> sent) {
        NamedNodeMap attributes = warning.getAttributes();
        for (int a = 0; a < attributes.getLength(); a++) {
            String name = attributes.item(a).getNodeName();
            if (name.equals("Code") || name.equals("Type")) {
                continue;
            }
            String value = attributes.item(a).getNodeValue();
            for (Sent s : sent) {
                if (value.equals(Integer.toString(s.locator()))) {
                    return s;
                }
            }
        }
        return null;
    }

    /** The pages allow {@code Production} or {@code Test}; anything else is a configuration error, not XML to escape. */
    static String target(String target) {
        if (!"Production".equals(target) && !"Test".equals(target)) {
            throw new IllegalStateException("channel-sync.channels.booking-com.target must be Production or Test, got " + target);
        }
        return target;
    }

    /** Hotel, room and rate plan ids are digits (checked by the mapping's rules); refuse anything else rather than escape it into XML. */
    static String digits(String id) {
        if (id == null || !id.matches("[0-9]+")) {
            throw new IllegalArgumentException("Booking.com ids must be digits, got " + id);
        }
        return id;
    }
}
