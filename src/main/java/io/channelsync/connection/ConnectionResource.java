package io.channelsync.connection;

import io.channelsync.agency.Agencies;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import io.channelsync.channel.ListingOwnership;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.UUID;

/**
 * Channel connections API (routes/channel-connections.camel.yaml): an agency's accounts on the
 * channels. The platforms are those with a {@link ListingOwnership} (each channel says which account
 * fields it needs); credentials go in, never out: no answer and no log line carries them.
 */
@Component("connectionResource")
public class ConnectionResource {

    private static final Logger log = LoggerFactory.getLogger(ConnectionResource.class);

    private final ChannelConnections connections;
    private final Agencies agencies;
    private final ApiRequests requests;
    private final ApiResponses responses;
    private final Channels channels;

    public ConnectionResource(ChannelConnections connections, Agencies agencies, ApiRequests requests, ApiResponses responses,
                              Channels channels) {
        this.connections = connections;
        this.agencies = agencies;
        this.requests = requests;
        this.responses = responses;
        this.channels = channels;
    }

    /** {@code POST /api/v1/channel-connections}: 201 with the connection (no credentials). */
    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ConnectionRequest request = requests.read(exchange, ConnectionRequest.class);
        channel(request.platform(), "platform").checkConnection(request);
        UUID agencyId = request.agencyId() != null ? request.agencyId() : caller.agencyId();
        if (agencyId == null) {
            throw ApiException.invalidField("agency_id", "required", "agency_id is required with an operator key");
        }
        if (!caller.canSee(agencyId) || !agencies.exists(agencyId)) {
            throw ApiException.invalidField("agency_id", "unknown_agency", "agency " + agencyId + " does not exist");
        }
        ChannelConnection created = connections.create(agencyId, request);
        log.info("Channel connection {} created: agency {} on {} (account {}, {} hotel(s), credentials {}) by {}", created.id(),
                agencyId, created.platform(), created.accountId(), created.hotelIds().size(),
                created.hasCredentials() ? "stored encrypted" : "none", caller);
        responses.reply(exchange, 201, created);
    }

    /** {@code GET /api/v1/channel-connections?platform=&agency_id=&include_deleted=&limit=&offset=}. */
    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        String platform = exchange.getIn().getHeader("platform", String.class);
        if (platform != null) {
            channel(platform, "platform");
        }
        String includeDeleted = exchange.getIn().getHeader("include_deleted", "false", String.class);
        if (!includeDeleted.equals("true") && !includeDeleted.equals("false")) {
            throw ApiException.invalidField("include_deleted", "type", "include_deleted must be true or false");
        }
        responses.reply(exchange, 200, page.of(connections.list(caller, platform, ApiRequests.queryUuid(exchange, "agency_id"),
                Boolean.parseBoolean(includeDeleted), page.limit() + 1, page.offset())));
    }

    /** {@code GET /api/v1/channel-connections/{id}}: deleted ones too (status deleted). */
    public void get(Exchange exchange) {
        UUID id = ApiRequests.pathId(exchange, "id", "channel connection");
        responses.reply(exchange, 200, connections.find(id, Caller.of(exchange))
                .orElseThrow(() -> ApiException.notFound("channel connection", id)));
    }

    /** {@code DELETE /api/v1/channel-connections/{id}}: 204; 409 while live mappings name it; 404 if unknown or deleted. */
    public void delete(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        UUID id = ApiRequests.pathId(exchange, "id", "channel connection");
        ChannelConnection existing = connections.find(id, caller).filter(c -> c.deletedAt() == null)
                .orElseThrow(() -> ApiException.notFound("channel connection", id));
        int mappings = connections.liveMappings(existing.id());
        if (mappings > 0) {
            throw ApiException.conflict("channel connection " + id + " is used by " + mappings
                    + " live channel mapping(s); delete or move them first", Map.of("conflict", "connection_in_use", "mappings", mappings));
        }
        if (!connections.delete(id, caller)) {
            throw ApiException.notFound("channel connection", id);
        }
        log.info("Channel connection {} ({}) deleted by {}; its credentials are erased", id, existing.platform(), caller);
        ApiRequests.noContent(exchange);
    }

    private ListingOwnership channel(String platform, String field) {
        return channels.find(platform).map(ChannelConnector::ownership).orElseThrow(() -> ApiException.invalidField(field,
                "unknown_platform", "platform must be one of " + String.join(", ", channels.platforms()) + "; got '" + platform + "'"));
    }
}
