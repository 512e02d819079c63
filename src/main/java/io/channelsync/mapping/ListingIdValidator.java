package io.channelsync.mapping;

import io.channelsync.api.ApiException;
import io.channelsync.channel.ChannelConnector;
import io.channelsync.channel.Channels;
import io.channelsync.channel.ListingIdRules;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Decides whether a mapping's channel ids can be right for its platform; a wrong id would push a
 * calendar to someone else's listing. The platform must be a registered channel
 * ({@code unknown_platform}); the ids are then checked by that channel's {@link ListingIdRules}, and the
 * rate plan id by {@link ChannelConnector#checkRatePlanId}.
 * Each refusal is a 422 naming the field and the rule.
 */
@Component
public class ListingIdValidator {

    private final Channels channels;

    public ListingIdValidator(Channels channels) {
        this.channels = channels;
    }

    /**
     * @return the warnings of an accepted mapping (empty when nothing is odd)
     * @throws ApiException 422 for the first rule the request breaks
     */
    public List<ListingIdRules.Warning> check(MappingRequest request) {
        ChannelConnector connector = channels.find(checkPlatform(request.platform())).orElseThrow();
        List<ListingIdRules.Warning> warnings = connector.listingIds().check(request.listingId(), request.roomId());
        connector.checkRatePlanId(request.ratePlanId());
        return warnings;
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
