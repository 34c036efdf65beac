package io.swarmdsl.provider.digitalocean;

import com.myjeeva.digitalocean.pojo.Size;
import io.swarmdsl.Invocation;
import io.swarmdsl.exec.ApplyException;
import io.swarmdsl.exec.Redactor;
import io.swarmdsl.exec.RunValues;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.ProviderSpec;
import io.swarmdsl.plan.Refs;
import java.math.BigDecimal;

/** What a DigitalOcean cluster costs a month: its droplets' size, priced by the API's size list. */
public final class MonthlyCost {
    private MonthlyCost() {
    }

    /**
     * The estimate for a DigitalOcean cluster when its token can be read (the environment variable is
     * set, the file exists), after one short attempt; null, without touching the network, when not.
     */
    public static String lineIfTokenAtHand(ClusterSpec spec) {
        if (!(spec.provider() instanceof ProviderSpec.DigitalOcean)) {
            return null;
        }
        String token;
        try {
            token = new RunValues(spec, Invocation.current().directory(), new Redactor()).value(Refs.PROVIDER_TOKEN);
        } catch (ApplyException e) {
            return null;
        }
        return line(spec, DigitalOceanApi.connect(token, DigitalOceanApi.Patience.ESTIMATE));
    }

    /** {@code Estimated cost: $N/month}, or null when the API does not know the script's size. */
    public static String line(ClusterSpec spec, DigitalOceanApi api) {
        String size = ((ProviderSpec.DigitalOcean) spec.provider()).size();
        return api.sizes().stream().filter(s -> size.equals(s.getSlug()) && s.getPriceMonthly() != null).findFirst()
                .map(Size::getPriceMonthly)
                .map(price -> "Estimated cost: $" + dollars(price.multiply(BigDecimal.valueOf(spec.nodes().size()))) + "/month")
                .orElse(null);
    }

    /** 28, or 38.50: cents only when there are some. */
    private static String dollars(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() <= 0 ? amount.setScale(0).toPlainString()
                : amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
