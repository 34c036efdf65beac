package io.swarmdsl.provider.digitalocean;

import io.swarmdsl.Invocation;
import com.myjeeva.digitalocean.exception.DigitalOceanException;
import com.myjeeva.digitalocean.exception.RequestUnsuccessfulException;
import com.myjeeva.digitalocean.impl.DigitalOceanClient;
import com.myjeeva.digitalocean.pojo.Base;
import com.myjeeva.digitalocean.pojo.Droplet;
import com.myjeeva.digitalocean.pojo.Image;
import com.myjeeva.digitalocean.pojo.Key;
import com.myjeeva.digitalocean.pojo.Region;
import com.myjeeva.digitalocean.pojo.Size;
import io.swarmdsl.exec.ApplyException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;

/**
 * DigitalOcean's API v2 through {@code digitalocean-api-client}, with what its callers need on top:
 * every page of a list, a wait per the rate-limit headers on 429, bounded retries on timeouts and
 * server errors, and errors that say what to do. The token never appears in a message.
 */
public final class DigitalOceanApi {
    /** Where the API is; a test points this at its own server (HTTPS: the client only speaks that). */
    public static final String ENDPOINT_VARIABLE = "SWARM_DIGITALOCEAN_API";
    static final URI DEFAULT_ENDPOINT = URI.create("https://api.digitalocean.com");
    static final int ATTEMPTS = Patience.APPLY.attempts();
    private static final int PER_PAGE = 200;
    /** A reset further away than this is not waited for: the user is told to come back. */
    private static final Duration LONGEST_RATE_LIMIT_WAIT = Duration.ofMinutes(15);

    /** Sleeps; tests replace it to see the waits without spending them. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * How long a call may take: an apply waits out a slow or busy API; the plan's price estimate makes
     * one short attempt, so that a plan without network does not wait for it.
     */
    public record Patience(int attempts, int connectTimeoutMillis, int socketTimeoutMillis) {
        public static final Patience APPLY = new Patience(4, 10_000, 60_000);
        public static final Patience ESTIMATE = new Patience(1, 2_000, 5_000);
    }

    private final DigitalOceanClient client;
    private final Sleeper sleeper;
    private final Patience patience;
    /** The rate-limit headers of the last answer on this thread: the client drops them from its errors. */
    private final ThreadLocal<Header[]> lastHeaders = new ThreadLocal<>();

    public DigitalOceanApi(URI endpoint, String token, SSLContext ssl, Sleeper sleeper) {
        this(endpoint, token, ssl, sleeper, Patience.APPLY);
    }

    public DigitalOceanApi(URI endpoint, String token, SSLContext ssl, Sleeper sleeper, Patience patience) {
        this.sleeper = sleeper;
        this.patience = patience;
        HttpClientBuilder http = HttpClients.custom()
                .useSystemProperties()
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(patience.connectTimeoutMillis())
                        .setSocketTimeout(patience.socketTimeoutMillis()).build())
                .addInterceptorLast((HttpResponse response, org.apache.http.protocol.HttpContext context) -> lastHeaders.set(
                        new Header[] {response.getFirstHeader("RateLimit-Reset"), response.getFirstHeader("Retry-After")}));
        if (ssl != null) {
            http.setSSLContext(ssl);
        }
        this.client = new Client(endpoint, token, http);
    }

    /** The API of the environment: {@value #ENDPOINT_VARIABLE} or DigitalOcean's own, the JVM's trust store. */
    public static DigitalOceanApi connect(String token) {
        return connect(token, Patience.APPLY);
    }

    public static DigitalOceanApi connect(String token, Patience patience) {
        String endpoint = Invocation.current().variable(ENDPOINT_VARIABLE);
        return new DigitalOceanApi(endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : URI.create(endpoint.trim()), token, null,
                duration -> Thread.sleep(duration.toMillis()), patience);
    }

    /** {@code apiHost} is protected in the client so that it can be pointed elsewhere: host and port of the endpoint. */
    private static final class Client extends DigitalOceanClient {
        Client(URI endpoint, String token, HttpClientBuilder http) {
            super("v2", token, http.build());
            if (!"https".equals(endpoint.getScheme())) {
                throw new ApplyException(ENDPOINT_VARIABLE + " must be an https:// address, got " + endpoint);
            }
            this.apiHost = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        }
    }

    /** The key DigitalOcean files under {@code fingerprint}, or null. */
    public Key key(String fingerprint) {
        return call("read the SSH key " + fingerprint, orNull(() -> client.getKeyInfo(fingerprint)));
    }

    public Key createKey(String name, String publicKey) {
        return call("register the SSH key " + name, () -> client.createKey(new Key(name, publicKey)));
    }

    /** Every droplet carrying {@code tag}, all pages. */
    public List<Droplet> dropletsTagged(String tag) {
        return pages("list the droplets tagged " + tag, page -> client.getAvailableDropletsByTagName(tag, page, PER_PAGE),
                droplets -> droplets.getDroplets());
    }

    /** Droplet {@code id}, or null when there is none. */
    public Droplet droplet(int id) {
        return call("read droplet " + id, orNull(() -> client.getDropletInfo(id)));
    }

    /** Creates the droplets named in {@code request.names} in one call; a 422 lists what the API accepts. */
    public List<Droplet> create(Droplet request) {
        try {
            return call("create droplets " + String.join(" ", request.getNames()), false, () -> client.createDroplets(request).getDroplets());
        } catch (Rejected e) {
            throw new ApplyException(e.getMessage() + validChoices(request, e.getMessage()));
        }
    }

    /** Deletes droplet {@code id}; one already gone counts as deleted. */
    public void delete(int id) {
        call("delete droplet " + id, orNull(() -> client.deleteDroplet(id)));
    }

    public List<Size> sizes() {
        return pages("list the droplet sizes", page -> client.getAvailableSizes(page), sizes -> sizes.getSizes());
    }

    List<Region> regions() {
        return pages("list the regions", page -> client.getAvailableRegions(page), regions -> regions.getRegions());
    }

    List<Image> images() {
        return pages("list the images", page -> client.getAvailableImages(page, PER_PAGE), images -> images.getImages());
    }

    /** After a 422 on create: the regions, sizes or images the API offers, whichever the request got wrong. */
    private String validChoices(Droplet request, String message) {
        if (message.toLowerCase().contains("limit")) {
            return " (raise the droplet limit in DigitalOcean's control panel, or use fewer nodes)";
        }
        StringBuilder valid = new StringBuilder();
        List<String> regions = regions().stream().filter(Region::isAvailable).map(Region::getSlug).sorted().toList();
        if (!regions.contains(request.getRegion().getSlug())) {
            valid.append("; region '").append(request.getRegion().getSlug()).append("' is unknown, regions: ").append(String.join(", ", regions));
        }
        List<String> sizes = sizes().stream().filter(Size::isAvailable).map(Size::getSlug).sorted().toList();
        if (!sizes.contains(request.getSize())) {
            valid.append("; size '").append(request.getSize()).append("' is unknown, sizes: ").append(String.join(", ", sizes));
        }
        List<String> images = images().stream().map(Image::getSlug).filter(s -> s != null).sorted().toList();
        if (!images.contains(request.getImage().getSlug())) {
            valid.append("; image '").append(request.getImage().getSlug()).append("' is unknown, images: ").append(String.join(", ", images));
        }
        return valid.toString();
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws DigitalOceanException, RequestUnsuccessfulException;
    }

    @FunctionalInterface
    private interface Page<T> {
        T call(int number) throws DigitalOceanException, RequestUnsuccessfulException;
    }

    /** {@code call}, answering null where the API answers 404 Not Found. */
    private static <T> Call<T> orNull(Call<T> call) {
        return () -> {
            try {
                return call.call();
            } catch (DigitalOceanException e) {
                if (e.getHttpStatusCode() == 404) {
                    return null;
                }
                throw e;
            }
        };
    }

    private <T extends Base, E> List<E> pages(String what, Page<T> page, Function<T, List<E>> items) {
        List<E> all = new ArrayList<>();
        for (int number = 1; ; number++) {
            int current = number;
            T answer = call(what, () -> page.call(current));
            List<E> these = answer == null ? null : items.apply(answer);
            if (these != null) {
                all.addAll(these);
            }
            boolean more = answer != null && answer.getLinks() != null && answer.getLinks().getPages() != null
                    && answer.getLinks().getPages().getNext() != null;
            if (!more || these == null || these.isEmpty()) {
                return all;
            }
        }
    }

    /** A call that may or may not have happened: the caller looks at what exists before trying again. */
    static final class NoAnswer extends ApplyException {
        NoAnswer(String message) {
            super(message);
        }
    }

    /** A 422: the request itself is wrong. */
    private static final class Rejected extends ApplyException {
        Rejected(String message) {
            super(message);
        }
    }

    private <T> T call(String what, Call<T> call) {
        return call(what, true, call);
    }

    /** {@code repeatable}: whether a call that got no answer may simply be made again (a create may not: it may have happened). */
    private <T> T call(String what, boolean repeatable, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (DigitalOceanException e) {
                int status = e.getHttpStatusCode();
                if (status == 401) {
                    throw new ApplyException("DigitalOcean refused the API token (401 Unauthorized) to " + what
                            + ": check DIGITALOCEAN_ACCESS_TOKEN or the token file the script names");
                }
                if (status == 429 && attempt < patience.attempts()) {
                    pause(rateLimitWait(what));
                    continue;
                }
                if (status == 422) {
                    throw new Rejected("DigitalOcean cannot " + what + ": " + e.getMessage());
                }
                if (status >= 500 && !repeatable) {
                    throw new NoAnswer("DigitalOcean failed to " + what + " (HTTP " + status + "): " + e.getMessage());
                }
                if (status >= 500 && attempt < patience.attempts()) {
                    pause(backoff(attempt));
                    continue;
                }
                throw new ApplyException("DigitalOcean cannot " + what + " (HTTP " + status + "): " + e.getMessage());
            } catch (RequestUnsuccessfulException e) {
                // A timeout or a dropped connection: the call may or may not have happened.
                if (!repeatable) {
                    throw new NoAnswer("DigitalOcean did not answer to " + what + ": " + e.getMessage());
                }
                if (attempt < patience.attempts()) {
                    pause(backoff(attempt));
                    continue;
                }
                throw new ApplyException("DigitalOcean did not answer to " + what + (patience.attempts() > 1 ? " after " + patience.attempts() + " attempts" : "") + ": " + e.getMessage());
            }
        }
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(500L << attempt);
    }

    /** How long until the rate limit resets: {@code Retry-After} seconds, or the {@code RateLimit-Reset} epoch second. */
    private Duration rateLimitWait(String what) {
        Header[] headers = lastHeaders.get();
        Duration wait = Duration.ofSeconds(1);
        if (headers != null && headers[1] != null && headers[1].getValue().matches("\\d+")) {
            wait = Duration.ofSeconds(Long.parseLong(headers[1].getValue()));
        } else if (headers != null && headers[0] != null && headers[0].getValue().matches("\\d+")) {
            wait = Duration.ofSeconds(Math.max(1, Long.parseLong(headers[0].getValue()) - System.currentTimeMillis() / 1000));
        }
        if (wait.compareTo(LONGEST_RATE_LIMIT_WAIT) > 0) {
            throw new ApplyException("DigitalOcean's rate limit is used up for " + wait.toMinutes() + " more minutes (to " + what
                    + "): run the same command again later; it goes on from where it stopped");
        }
        return wait;
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted while waiting for DigitalOcean");
        }
    }
}
