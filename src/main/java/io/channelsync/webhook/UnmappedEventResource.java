package io.channelsync.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.api.Rows;
import io.channelsync.channel.Channels;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/v1/unmapped-events?platform=&listing_id=&limit=&offset=} (routes/unmapped-events.camel.yaml): the
 * reservations parked because their listing (or room) is not mapped yet, oldest first. Map the listing
 * ({@code POST /api/v1/channel-mappings}) and they are applied; they then leave this list.
 */
@Component("unmappedEventResource")
public class UnmappedEventResource {

    private final WebhookLog webhookLog;
    private final ApiRequests requests;
    private final ApiResponses responses;
    private final Channels channels;
    private final ObjectMapper json;

    public UnmappedEventResource(WebhookLog webhookLog, ApiRequests requests, ApiResponses responses, Channels channels, ObjectMapper json) {
        this.webhookLog = webhookLog;
        this.requests = requests;
        this.responses = responses;
        this.channels = channels;
        this.json = json;
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        String platform = ApiRequests.queryOneOf(exchange, "platform", channels.platforms());
        String listing = exchange.getIn().getHeader("listing_id", String.class);
        responses.reply(exchange, 200, page.of(webhookLog.listUnmapped(caller.operator(), caller.agencyId(), platform,
                listing == null || listing.isBlank() ? null : listing.trim(), page.limit() + 1, page.offset(), Rows.json(json))));
    }
}
