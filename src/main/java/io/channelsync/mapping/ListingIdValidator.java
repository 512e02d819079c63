package io.channelsync.mapping;

import io.channelsync.api.ApiException;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import io.channelsync.channel.ListingIdRules;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Decides whether a mapping's channel ids can be right for its platform; a wrong id would push a
 * calendar to someone else's listing. The platform must be a registered channel
 * ({@code unknown_platform}); the ids are then checked by that channel's {@link ListingIdRules}, and the
 * rate plan id by {@link ChannelConnector#checkRatePlanId} (and required on a priced property when the
 * channel's prices need one).
 * Each refusal is a 422 naming the field and the rule.
 */
@Component
public class ListingIdValidator {

    private final Channels channels;
    private final NamedParameterJdbcTemplate sql;

    public ListingIdValidator(Channels channels, NamedParameterJdbcTemplate sql) {
        this.channels = channels;
        this.sql = sql;
    }

    /**
     * @return the warnings of an accepted mapping (empty when nothing is odd)
     * @throws ApiException 422 for the first rule the request breaks
     */
    public List<ListingIdRules.Warning> check(MappingRequest request) {
        ChannelConnector connector = channels.find(checkPlatform(request.platform())).orElseThrow();
        List<ListingIdRules.Warning> warnings = connector.listingIds().check(request.listingId(), request.roomId());
        connector.checkRatePlanId(request.ratePlanId());
        checkPricesHaveARatePlan(connector, request);
        return warnings;
    }

    /**
     * A channel whose prices need a rate plan takes no mapping without one on a property that has prices from
     * today on: they would never reach it (422 {@code rate_plan_id}/{@code required_for_prices}).
     */
    private void checkPricesHaveARatePlan(ChannelConnector connector, MappingRequest request) {
        if (!connector.pricesNeedRatePlan() || request.ratePlanId() != null || request.propertyId() == null
                || Boolean.FALSE.equals(request.syncEnabled())) {
            return;
        }
        Boolean priced = sql.queryForObject("select exists (select 1 from availability where property_id = :property "
                + "and day >= current_date and price is not null)", new MapSqlParameterSource("property", request.propertyId()), Boolean.class);
        if (Boolean.TRUE.equals(priced)) {
            throw ApiException.invalidField("rate_plan_id", "required_for_prices", "the property has prices, which "
                    + connector.platform() + " takes per rate plan: give the mapping its rate_plan_id");
        }
    }

    /** @return the platform, if it is a registered channel; 422 {@code unknown_platform} otherwise */
    public String checkPlatform(String platform) {
        if (!channels.has(platform)) {
            throw ApiException.invalidField("platform", "unknown_platform",
                    "platform must be one of " + String.join(", ", channels.platforms()) + "; got '" + platform + "'");
        }
        return platform;
    }
}
