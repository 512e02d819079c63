package io.channelsync.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.channel.ListingIdRules;
import io.channelsync.property.PmsProperties;
import io.channelsync.security.Caller;
import io.channelsync.webhook.UnmappedEvents;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Channel mappings CRUD (routes/channel-mappings.camel.yaml). Each step: read the body strictly
 * ({@link ApiRequests}), take the platform from the connection when left out, check the channel ids for
 * the platform ({@link ListingIdValidator}), check the property is the caller's, check the listing belongs
 * to the named connection ({@link MappingConnectionCheck}), then let the database's unique keys decide conflicts
 * ({@link ChannelMappings.Conflict} → 409 naming the existing mapping). After a create or a change has
 * committed, the reservations parked for the listing it names are released ({@link UnmappedEvents}).
 */
@Component("mappingResource")
public class MappingResource {

    private static final Logger log = LoggerFactory.getLogger(MappingResource.class);

    private final ChannelMappings mappings;
    private final PmsProperties properties;
    private final ListingIdValidator validator;
    private final ApiRequests requests;
    private final ApiResponses responses;
    private final ObjectMapper json;
    private final MappingConnectionCheck connections;
    private final UnmappedEvents unmapped;

    public MappingResource(ChannelMappings mappings, PmsProperties properties, ListingIdValidator validator,
                           ApiRequests requests, ApiResponses responses, ObjectMapper json, MappingConnectionCheck connections,
                           UnmappedEvents unmapped) {
        this.unmapped = unmapped;
        this.connections = connections;
        this.mappings = mappings;
        this.properties = properties;
        this.validator = validator;
        this.requests = requests;
        this.responses = responses;
        this.json = json;
    }

    /** {@code POST /api/v1/channel-mappings}: 201 with the mapping (and {@code warnings} if any). */
    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        MappingRequest request = connections.withPlatform(requests.read(exchange, MappingRequest.class), caller);
        List<ListingIdRules.Warning> warnings = validator.check(request);
        UUID agencyId = propertyAgency(request, caller);
        connections.check(request, agencyId, null);
        ChannelMapping created = withConflictsAnswered(caller, () -> mappings.create(agencyId, request));
        log.info("Channel mapping {} created: property {} -> {} {}{} by {}", created.id(), created.propertyId(),
                created.platform(), created.listingId(), created.roomId() == null ? "" : "/" + created.roomId(), caller);
        unmapped.release(created.id()); // committed: the reservations parked for this listing are applied now
        responses.reply(exchange, 201, body(created, warnings));
    }

    /** {@code GET /api/v1/channel-mappings?property_id=&platform=&agency_id=&include_deleted=&limit=&offset=}. */
    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        UUID propertyId = ApiRequests.queryUuid(exchange, "property_id");
        UUID agencyId = ApiRequests.queryUuid(exchange, "agency_id");
        String platform = exchange.getIn().getHeader("platform", String.class);
        if (platform != null) {
            validator.checkPlatform(platform);
        }
        String includeDeleted = exchange.getIn().getHeader("include_deleted", "false", String.class);
        if (!includeDeleted.equals("true") && !includeDeleted.equals("false")) {
            throw ApiException.invalidField("include_deleted", "type", "include_deleted must be true or false");
        }
        responses.reply(exchange, 200, page.of(mappings.list(caller, propertyId, platform, agencyId,
                Boolean.parseBoolean(includeDeleted), page.limit() + 1, page.offset())));
    }

    /** {@code GET /api/v1/channel-mappings/{id}}: deleted mappings too (with {@code deleted_at}), for their history. */
    public void get(Exchange exchange) {
        UUID id = ApiRequests.pathId(exchange, "id", "channel mapping");
        responses.reply(exchange, 200, mappings.find(id, Caller.of(exchange))
                .orElseThrow(() -> ApiException.notFound("channel mapping", id)));
    }

    /** {@code PUT /api/v1/channel-mappings/{id}}: the whole body, as for a create; omitted optional fields take their defaults. */
    public void replace(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ChannelMapping existing = live(exchange, caller);
        update(exchange, caller, existing, requests.read(exchange, MappingRequest.class));
    }

    /** {@code PATCH /api/v1/channel-mappings/{id}}: the fields sent replace the stored ones, then the whole is checked. */
    public void patch(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ChannelMapping existing = live(exchange, caller);
        ObjectNode patch = requests.readObject(exchange);
        ObjectNode merged = json.createObjectNode();
        merged.put("property_id", existing.propertyId().toString());
        merged.put("connection_id", existing.connectionId() == null ? null : existing.connectionId().toString());
        merged.put("platform", existing.platform());
        merged.put("listing_id", existing.listingId());
        merged.put("room_id", existing.roomId());
        merged.put("rate_plan_id", existing.ratePlanId());
        merged.put("sync_enabled", existing.syncEnabled());
        merged.setAll(patch);
        update(exchange, caller, existing, requests.convert(merged, MappingRequest.class));
    }

    /** {@code DELETE /api/v1/channel-mappings/{id}}: soft delete, 204; a deleted or unknown mapping is 404. */
    public void delete(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        UUID id = ApiRequests.pathId(exchange, "id", "channel mapping");
        if (!mappings.delete(id, caller)) {
            throw ApiException.notFound("channel mapping", id);
        }
        log.info("Channel mapping {} deleted by {}; it no longer syncs", id, caller);
        ApiRequests.noContent(exchange);
    }

    private void update(Exchange exchange, Caller caller, ChannelMapping existing, MappingRequest sent) {
        MappingRequest request = connections.withPlatform(sent, caller);
        List<ListingIdRules.Warning> warnings = validator.check(request);
        UUID agencyId = propertyAgency(request, caller);
        if (!agencyId.equals(existing.agencyId())) {
            // an operator moving a mapping to another agency's property: not this endpoint's business
            throw unknownProperty(request.propertyId());
        }
        connections.check(request, agencyId, existing);
        ChannelMapping updated = withConflictsAnswered(caller, () -> mappings.update(existing.id(), existing.agencyId(), request))
                .orElseThrow(() -> ApiException.notFound("channel mapping", existing.id()));
        log.info("Channel mapping {} updated by {}", updated.id(), caller);
        unmapped.release(updated.id()); // committed: a listing or room it names now may have reservations parked
        responses.reply(exchange, 200, body(updated, warnings));
    }

    private ChannelMapping live(Exchange exchange, Caller caller) {
        UUID id = ApiRequests.pathId(exchange, "id", "channel mapping");
        return mappings.find(id, caller).filter(m -> m.deletedAt() == null)
                .orElseThrow(() -> ApiException.notFound("channel mapping", id));
    }

    /** The agency of the request's property; unknown and other agencies' properties are refused alike. */
    private UUID propertyAgency(MappingRequest request, Caller caller) {
        return properties.find(request.propertyId(), caller)
                .orElseThrow(() -> unknownProperty(request.propertyId())).agencyId();
    }

    private static ApiException unknownProperty(UUID propertyId) {
        return ApiException.invalidField("property_id", "unknown_property", "property " + propertyId + " does not exist");
    }

    private static <T> T withConflictsAnswered(Caller caller, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (ChannelMappings.Conflict conflict) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("conflict", conflict.sameListing() ? "listing_already_mapped" : "property_already_mapped");
            var visible = conflict.existing().filter(m -> caller.canSee(m.agencyId()));
            visible.ifPresent(m -> details.put("existing_mapping_id", m.id()));
            String message = conflict.sameListing()
                    ? visible.map(m -> "this listing is already mapped by channel mapping " + m.id())
                        .orElse("this listing is already mapped on this platform by another agency")
                    : visible.map(m -> "this property already has a mapping on this platform: " + m.id())
                        .orElse("this property already has a mapping on this platform");
            throw ApiException.conflict(message, details);
        }
    }

    private ObjectNode body(ChannelMapping mapping, List<ListingIdRules.Warning> warnings) {
        ObjectNode body = json.valueToTree(mapping);
        if (!warnings.isEmpty()) {
            body.set("warnings", json.valueToTree(warnings));
        }
        return body;
    }
}
