package io.channelsync.property;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.channelsync.agency.Agencies;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.security.Caller;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.Currency;
import java.util.UUID;

/**
 * The PMS properties this service needs (routes/properties.camel.yaml):
 * {@code POST /api/v1/properties} {@code {"name", "agency_id"}} (201; an agency key may omit agency_id,
 * and naming another agency is refused as an unknown agency; an operator must name one),
 * {@code GET /api/v1/properties} (paginated; {@code agency_id} filter for operators),
 * {@code GET /api/v1/properties/{id}} (404 for another agency's) and {@code PATCH /api/v1/properties/{id}}
 * {@code {"currency"}}. A property's {@code currency} (ISO 4217) is the currency of its prices.
 */
@Component("propertyResource")
public class PropertyResource {

    /** {@code POST /api/v1/properties} body; {@code currency} (ISO 4217) is needed before the property has prices. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NewProperty(@NotBlank @Size(max = 200) String name, UUID agencyId, String currency) {
    }

    /** {@code PATCH /api/v1/properties/{id}} body: what may change. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PropertyChange(String currency) {
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
        responses.reply(exchange, 201, properties.create(agencyId, request.name().trim(), currency(request.currency(), false)));
    }

    /** {@code PATCH /api/v1/properties/{id}} {@code {"currency": "EUR"}}. */
    public void update(Exchange exchange) {
        UUID id = ApiRequests.pathId(exchange, "id", "property");
        Caller caller = Caller.of(exchange);
        PropertyChange change = requests.read(exchange, PropertyChange.class);
        properties.findVisible(id, caller);
        responses.reply(exchange, 200, properties.setCurrency(id, caller, currency(change.currency(), true)));
    }

    /** An ISO 4217 code (upper case, as {@link Currency} knows it): 422 {@code currency}/{@code iso_4217} otherwise. */
    static String currency(String code, boolean required) {
        if (code == null) {
            if (required) {
                throw ApiException.invalidField("currency", "required", "currency (ISO 4217, e.g. EUR) is required");
            }
            return null;
        }
        boolean known = code.matches("[A-Z]{3}") && Currency.getAvailableCurrencies().stream().anyMatch(c -> c.getCurrencyCode().equals(code));
        if (!known) {
            throw ApiException.invalidField("currency", "iso_4217", "currency must be an ISO 4217 code in upper case, e.g. EUR; got " + code);
        }
        return code;
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
