package io.channelsync.property;

import io.channelsync.agency.Agencies;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.security.Caller;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The PMS properties this service needs (routes/properties.camel.yaml):
 * {@code POST /api/v1/properties} {@code {"name", "agency_id"}} (201; an agency key may omit agency_id,
 * and naming another agency is refused as an unknown agency; an operator must name one),
 * {@code GET /api/v1/properties} (paginated; {@code agency_id} filter for operators) and
 * {@code GET /api/v1/properties/{id}} (404 for another agency's).
 */
@Component("propertyResource")
public class PropertyResource {

    /** {@code POST /api/v1/properties} body. */
    public record NewProperty(@NotBlank @Size(max = 200) String name, UUID agencyId) {
    }

    private final PmsProperties properties;
    private final Agencies agencies;
    private final ApiRequests requests;
    private final ApiResponses responses;

    public PropertyResource(PmsProperties properties, Agencies agencies, ApiRequests requests, ApiResponses responses) {
        this.properties = properties;
        this.agencies = agencies;
        this.requests = requests;
        this.responses = responses;
    }

    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        NewProperty request = requests.read(exchange, NewProperty.class);
        UUID agencyId = request.agencyId() != null ? request.agencyId() : caller.agencyId();
        if (agencyId == null) {
            throw ApiException.invalidField("agency_id", "required", "agency_id is required with an operator key");
        }
        if (!caller.canSee(agencyId) || !agencies.exists(agencyId)) {
            throw ApiException.invalidField("agency_id", "unknown_agency", "agency " + agencyId + " does not exist");
        }
        responses.reply(exchange, 201, properties.create(agencyId, request.name().trim()));
    }

    public void list(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        ApiRequests.Page page = requests.page(exchange);
        UUID agencyId = ApiRequests.queryUuid(exchange, "agency_id");
        responses.reply(exchange, 200, page.of(properties.list(caller, agencyId, page.limit() + 1, page.offset())));
    }

    public void get(Exchange exchange) {
        UUID id = ApiRequests.pathId(exchange, "id", "property");
        responses.reply(exchange, 200, properties.findVisible(id, Caller.of(exchange)));
    }
}
