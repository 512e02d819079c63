package io.channelsync.subscription;

import io.channelsync.agency.Agencies;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.security.Caller;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The subscriptions API (routes/subscriptions-api.camel.yaml): {@code /api/v1/subscriptions} (create,
 * list, get, update, delete), {@code /api/v1/subscriptions/{id}/deliveries}, {@code /api/v1/deliveries}
 * and {@code /api/v1/deliveries/{id}[/redeliver]}. An agency sees its own subscriptions and their
 * deliveries; another agency's are a 404; operators see all. The secret is in the create answer only.
 * The {@code alerts} subscription is configuration ({@code channel-sync.alerts.*}): readable, not editable.
 */
@Component("subscriptionResource")
public class SubscriptionResource {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionResource.class);
    static final Set<String> STATUSES = Set.of("active", "failing");
    static final Set<String> DELIVERY_STATUSES = Set.of("pending", "delivering", "retrying", "succeeded", "failed");
    private static final Set<String> TYPES = Set.copyOf(EventTypes.SUBSCRIBABLE);

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final SubscriptionUrls urls;
    private final Agencies agencies;
    private final ApiRequests requests;
    private final ApiResponses responses;

    public SubscriptionResource(Subscriptions subscriptions, Deliveries deliveries, SubscriptionUrls urls, Agencies agencies,
                                ApiRequests requests, ApiResponses responses) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.urls = urls;
        this.agencies = agencies;
        this.requests = requests;
        this.responses = responses;
    }

    /** {@code POST /api/v1/subscriptions}: 201 with the subscription and its {@code secret} (shown this once). */
    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        SubscriptionRequest request = requests.read(exchange, SubscriptionRequest.class);
        URI url = urls.validate(request.url());
        List<String> types = eventTypes(request.eventTypes());
        UUID agencyId = caller.operator() ? request.agencyId() : caller.agencyId();
        if (request.agencyId() != null && (!caller.canSee(request.agencyId()) || !agencies.exists(request.agencyId()))) {
            throw ApiException.invalidField("agency_id", "unknown_agency", "agency " + request.agencyId() + " does not exist");
        }
        Map<String, Object> created = subscriptions.create(agencyId, url, types, request.description());
        log.info("Subscription {} created: agency {}, {} to {} by {}", created.get("id"), agencyId, types, url.getHost(), caller);
        responses.reply(exchange, 201, created);
    }

    /** {@code GET /api/v1/subscriptions?agency_id=&status=&event_type=&limit=&offset=}, oldest first. */
    public void list(Exchange exchange) {
        ApiRequests.Page page = requests.page(exchange);
        responses.reply(exchange, 200, page.of(subscriptions.list(Caller.of(exchange), ApiRequests.queryUuid(exchange, "agency_id"),
                ApiRequests.queryOneOf(exchange, "status", STATUSES), ApiRequests.queryOneOf(exchange, "event_type", TYPES),
                page.limit() + 1, page.offset())));
    }

    public void get(Exchange exchange) {
        responses.reply(exchange, 200, visible(exchange));
    }

    /** {@code PATCH /api/v1/subscriptions/{id}} {@code {"url", "event_types", "description"}} (each optional): 200 with the subscription. */
    public void update(Exchange exchange) {
        Map<String, Object> existing = editable(exchange);
        SubscriptionUpdate update = requests.read(exchange, SubscriptionUpdate.class);
        UUID id = (UUID) existing.get("id");
        subscriptions.update(id, update.url() == null ? null : urls.validate(update.url()),
                update.eventTypes() == null ? null : eventTypes(update.eventTypes()), update.description());
        log.info("Subscription {} updated by {}", id, Caller.of(exchange));
        responses.reply(exchange, 200, subscriptions.find(id, Caller.of(exchange)).orElseThrow());
    }

    /** {@code DELETE /api/v1/subscriptions/{id}}: 204; its deliveries go with it. */
    public void delete(Exchange exchange) {
        UUID id = (UUID) editable(exchange).get("id");
        subscriptions.delete(id);
        log.info("Subscription {} deleted by {}", id, Caller.of(exchange));
        ApiRequests.noContent(exchange);
    }

    /** {@code GET /api/v1/subscriptions/{id}/deliveries?status=&event_type=&limit=&offset=}, newest first. */
    public void subscriptionDeliveries(Exchange exchange) {
        listDeliveries(exchange, (UUID) visible(exchange).get("id"));
    }

    /** {@code GET /api/v1/deliveries?subscription_id=&status=&event_type=&limit=&offset=}, newest first. */
    public void deliveries(Exchange exchange) {
        listDeliveries(exchange, ApiRequests.queryUuid(exchange, "subscription_id"));
    }

    /** {@code GET /api/v1/deliveries/{id}}: the delivery, the event's {@code data} and every attempt. */
    public void delivery(Exchange exchange) {
        responses.reply(exchange, 200, visibleDelivery(exchange));
    }

    /**
     * {@code POST /api/v1/deliveries/{id}/redeliver}: 202 with a NEW delivery of the same event (same
     * {@code webhook-id}, so receivers can deduplicate) to the same subscription; the original stays in the
     * log. 409 while the delivery is still pending, delivering or retrying.
     */
    public void redeliver(Exchange exchange) {
        long id = (Long) visibleDelivery(exchange).get("id");
        long created = deliveries.redeliver(id).orElseThrow(() -> ApiException.conflict("delivery " + id
                + " is still under way: redeliver it once it has succeeded or failed", Map.of("conflict", "delivery_in_progress")));
        log.info("Delivery {} redelivered as {} by {}", id, created, Caller.of(exchange));
        responses.reply(exchange, 202, deliveries.find(created, Caller.of(exchange)).orElseThrow());
    }

    private void listDeliveries(Exchange exchange, UUID subscription) {
        ApiRequests.Page page = requests.page(exchange);
        responses.reply(exchange, 200, page.of(deliveries.list(Caller.of(exchange), subscription,
                ApiRequests.queryOneOf(exchange, "status", DELIVERY_STATUSES), ApiRequests.queryOneOf(exchange, "event_type", TYPES),
                page.limit() + 1, page.offset())));
    }

    private Map<String, Object> visible(Exchange exchange) {
        UUID id = ApiRequests.pathId(exchange, "id", "subscription");
        return subscriptions.find(id, Caller.of(exchange)).orElseThrow(() -> ApiException.notFound("subscription", id));
    }

    private Map<String, Object> editable(Exchange exchange) {
        Map<String, Object> existing = visible(exchange);
        if ("alerts".equals(existing.get("kind"))) {
            throw ApiException.conflict("the alerts subscription is configuration (channel-sync.alerts.webhook-url): change it there",
                    Map.of("conflict", "managed_by_configuration"));
        }
        return existing;
    }

    private Map<String, Object> visibleDelivery(Exchange exchange) {
        long id = ApiRequests.pathLong(exchange, "id", "delivery");
        return deliveries.find(id, Caller.of(exchange)).orElseThrow(() -> ApiException.notFound("delivery", id));
    }

    private static List<String> eventTypes(List<String> types) {
        for (String type : types) {
            if (!TYPES.contains(type)) {
                throw ApiException.invalidField("event_types", "one_of", "event_types must be some of " + EventTypes.SUBSCRIBABLE
                        + "; got '" + type + "'");
            }
        }
        return types.stream().distinct().toList();
    }
}
