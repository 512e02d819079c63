package io.channelsync.mapping;

import io.channelsync.api.ApiException;
import io.channelsync.channel.Channels;
import io.channelsync.channel.ListingIdRules;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Decides whether a mapping's channel ids can be right for its platform; a wrong id would push a
 * calendar to someone else's listing. The platform must be a registered channel
 * ({@code unknown_platform}); the ids are then checked by that channel's {@link ListingIdRules}.
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
        return channels.find(checkPlatform(request.platform())).orElseThrow()
                .listingIds().check(request.listingId(), request.roomId());
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
