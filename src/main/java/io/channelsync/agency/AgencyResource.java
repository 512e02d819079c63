package io.channelsync.agency;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.channelsync.api.ApiException;
import io.channelsync.api.ApiRequests;
import io.channelsync.api.ApiResponses;
import io.channelsync.security.Caller;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Agencies and their API keys (routes/agencies.camel.yaml).
 * <ul>
 * <li>{@code POST /api/v1/agencies} {@code {"name"}}: operator only (an agency key gets 403); 201 with the
 *     agency and its first key, whose plaintext is shown in this answer only.</li>
 * <li>{@code GET /api/v1/agencies/{id}}, {@code GET /api/v1/agencies/{id}/keys} (prefixes, never keys),
 *     {@code POST /api/v1/agencies/{id}/keys} (201, a new key shown once), {@code DELETE
 *     /api/v1/agencies/{id}/keys/{keyId}} (204; the key is refused from then on): the operator, or the
 *     agency itself; another agency's id is a 404.</li>
 * </ul>
 */
@Component("agencyResource")
public class AgencyResource {

    private static final Logger log = LoggerFactory.getLogger(AgencyResource.class);

    /** {@code POST /api/v1/agencies} body. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NewAgency(@NotBlank @Size(max = 200) String name) {
    }

    private final Agencies agencies;
    private final ApiRequests requests;
    private final ApiResponses responses;

    public AgencyResource(Agencies agencies, ApiRequests requests, ApiResponses responses) {
        this.agencies = agencies;
        this.requests = requests;
        this.responses = responses;
    }

    public void create(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        if (!caller.operator()) {
            throw ApiException.forbidden("only an operator key can create agencies");
        }
        NewAgency request = requests.read(exchange, NewAgency.class);
        Agencies.Created created = agencies.create(request.name().trim());
        log.info("Agency {} created by {} with key {}", created.agency().id(), caller, created.key().keyPrefix());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", created.agency().id());
        body.put("name", created.agency().name());
        body.put("created_at", created.agency().createdAt());
        body.put("api_key", created.key());
        responses.reply(exchange, 201, body);
    }

    public void get(Exchange exchange) {
        UUID agencyId = visibleAgency(exchange);
        responses.reply(exchange, 200, agencies.find(agencyId).orElseThrow(() -> ApiException.notFound("agency", agencyId)));
    }

    public void listKeys(Exchange exchange) {
        UUID agencyId = visibleAgency(exchange);
        ApiRequests.Page page = requests.page(exchange);
        responses.reply(exchange, 200, page.of(agencies.keys(agencyId, page.limit() + 1, page.offset())));
    }

    public void issueKey(Exchange exchange) {
        UUID agencyId = visibleAgency(exchange);
        Agencies.ApiKey key = agencies.issueKey(agencyId);
        log.info("API key {} issued for agency {} by {}", key.keyPrefix(), agencyId, Caller.of(exchange));
        responses.reply(exchange, 201, key);
    }

    public void revokeKey(Exchange exchange) {
        UUID agencyId = visibleAgency(exchange);
        UUID keyId = ApiRequests.pathId(exchange, "keyId", "API key");
        Agencies.ApiKey key = agencies.revoke(agencyId, keyId).orElseThrow(() -> ApiException.notFound("API key", keyId));
        log.info("API key {} of agency {} revoked by {}", key.keyPrefix(), agencyId, Caller.of(exchange));
        ApiRequests.noContent(exchange);
    }

    /** The agency in the path, if it exists and the caller may see it; a 404 otherwise. */
    private UUID visibleAgency(Exchange exchange) {
        UUID agencyId = ApiRequests.pathId(exchange, "id", "agency");
        if (!Caller.of(exchange).canSee(agencyId) || !agencies.exists(agencyId)) {
            throw ApiException.notFound("agency", agencyId);
        }
        return agencyId;
    }
}
