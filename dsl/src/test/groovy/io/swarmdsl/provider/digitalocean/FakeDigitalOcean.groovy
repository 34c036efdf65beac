package io.swarmdsl.provider.digitalocean

import com.github.tomakehurst.wiremock.WireMockServer
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2
import com.github.tomakehurst.wiremock.http.HttpHeader
import com.github.tomakehurst.wiremock.http.HttpHeaders
import com.github.tomakehurst.wiremock.http.ResponseDefinition
import com.github.tomakehurst.wiremock.stubbing.ServeEvent
import com.github.tomakehurst.wiremock.verification.LoggedRequest
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import java.security.KeyStore

import static com.github.tomakehurst.wiremock.client.WireMock.any
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options

/**
 * A local HTTPS server (WireMock, a self-signed certificate for 127.0.0.1) that answers like
 * DigitalOcean's API v2 as its public documentation shows it: droplets created with {@code names},
 * {@code links.actions}, lists paginated through {@code links.pages}, error bodies {@code id} and
 * {@code message}, rate-limit headers. It keeps droplets and keys in memory, and can be told to
 * fail the next requests (429, 422, 500) to see how callers cope.
 */
final class FakeDigitalOcean implements AutoCloseable {
    static final String PASSWORD = 'fake-do'
    private static File tlsDirectory

    final String token
    final WireMockServer server
    /** Droplets by id: maps shaped like the API's droplet objects. */
    final Map<Integer, Map> droplets = new TreeMap<>()
    final Map<String, Map> keys = [:]
    /** Public (and private) addresses to give droplets by name; others get 203.0.113.N. */
    Map<String, String> addresses = [:]
    /** Items per page at most, whatever per_page asks: small, so that callers must follow links.pages. */
    int pageSize = 2
    /** How many reads of a new droplet answer "new" before it is "active". */
    int readsUntilActive = 1
    /** Droplets the account may still create. */
    int dropletLimit = 25
    private final List<Map> failures = [].asSynchronized()
    private int nextId = 3164444

    FakeDigitalOcean(String token) {
        this.token = token
        File tls = tls()
        server = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress('127.0.0.1')
                .keystorePath(new File(tls, 'server.p12').path).keystorePassword(PASSWORD).keyManagerPassword(PASSWORD)
                .keystoreType('PKCS12').extensions(new Api()))
        server.start()
        server.stubFor(any(anyUrl()).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)))
    }

    /** A key pair and a trust store for 127.0.0.1, made once per JVM with the JDK's keytool. */
    static synchronized File tls() {
        if (tlsDirectory == null) {
            File dir = File.createTempDir('fake-do-tls')
            String keytool = System.getProperty('java.home') + '/bin/keytool'
            def run = { List<String> args ->
                def process = ([keytool] + args).execute(null, dir)
                process.waitForProcessOutput(new StringBuilder(), new StringBuilder())
                assert process.exitValue() == 0: "keytool $args"
            }
            run(['-genkeypair', '-alias', 'api', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '2', '-dname', 'CN=127.0.0.1',
                 '-ext', 'SAN=ip:127.0.0.1,dns:localhost', '-keystore', 'server.p12', '-storetype', 'PKCS12',
                 '-storepass', PASSWORD, '-keypass', PASSWORD])
            run(['-exportcert', '-alias', 'api', '-keystore', 'server.p12', '-storepass', PASSWORD, '-file', 'api.crt'])
            run(['-importcert', '-noprompt', '-alias', 'api', '-file', 'api.crt', '-keystore', 'trust.p12', '-storetype', 'PKCS12',
                 '-storepass', PASSWORD])
            tlsDirectory = dir
        }
        tlsDirectory
    }

    /** The JVM options that make another JVM (the CLI) trust this server. */
    static List<String> trustOptions() {
        ["-Djavax.net.ssl.trustStore=${new File(tls(), 'trust.p12')}", "-Djavax.net.ssl.trustStorePassword=$PASSWORD",
         '-Djavax.net.ssl.trustStoreType=PKCS12']*.toString()
    }

    static SSLContext sslContext() {
        KeyStore trust = KeyStore.getInstance('PKCS12')
        new File(tls(), 'trust.p12').withInputStream { trust.load(it, PASSWORD.toCharArray()) }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
        factory.init(trust)
        SSLContext context = SSLContext.getInstance('TLS')
        context.init(null, factory.trustManagers, null)
        context
    }

    String endpoint() {
        "https://127.0.0.1:${server.httpsPort()}"
    }

    /** The API as the provider uses it, trusting this server; {@code waits} collects the pauses it asked for. */
    DigitalOceanApi api(List waits = [], String withToken = token, DigitalOceanApi.Patience patience = DigitalOceanApi.Patience.APPLY) {
        new DigitalOceanApi(URI.create(endpoint()), withToken, sslContext(), { waits << it }, patience)
    }

    /** The next {@code count} requests matching {@code method} and the path prefix answer {@code status}. */
    void failNext(String method, String path, int status, Map body, int count = 1, boolean happensAnyway = false) {
        count.times { failures << [method: method, path: path, status: status, body: body, happensAnyway: happensAnyway] }
    }

    void rateLimitNext(int count = 1) {
        count.times {
            failures << [method: null, path: '/v2/', status: 429, body: [id: 'too_many_requests', message: 'API Rate limit exceeded.'],
                         headers: ['RateLimit-Limit': '5000', 'RateLimit-Remaining': '0',
                                   'RateLimit-Reset': String.valueOf(System.currentTimeMillis().intdiv(1000) + 2)]]
        }
    }

    /** A droplet that exists already, as another run (or someone else) made it. */
    Map seed(String name, List<String> tags, String status = 'active') {
        synchronized (droplets) {
            Map droplet = droplet(nextId++, name, tags, 'sfo1', '512mb', 'ubuntu-15-10-x64')
            droplet.status = status
            droplet.reads = readsUntilActive
            droplets[droplet.id] = droplet
            droplet
        }
    }

    List<LoggedRequest> requests(String method, String pathPrefix) {
        server.allServeEvents.collect { it.request }.findAll { it.method.value() == method && it.url.startsWith(pathPrefix) }.reverse()
    }

    /** The bodies of every droplet create asked for, by their first name (roles are created at once). */
    List<Map> creates() {
        requests('POST', '/v2/droplets').collect { new JsonSlurper().parseText(it.bodyAsString) as Map }.sort { it.names[0] }
    }

    @Override
    void close() {
        server.stop()
    }

    private Map droplet(int id, String name, List<String> tags, String region, String size, String image) {
        String address = addresses[name] ?: "203.0.113.${id % 250}".toString()
        String privateAddress = addresses[name] ?: "10.134.0.${id % 250}".toString()
        [id      : id, name: name, memory: 512, vcpus: 1, disk: 20, locked: false, status: 'new', created_at: '2026-11-27T10:00:00Z',
         features: ['private_networking'], region: [slug: region, name: region, available: true], image: [slug: image],
         size_slug: size, tags: tags,
         networks: [v4: [[ip_address: address, netmask: '255.255.240.0', gateway: '203.0.113.1', type: 'public'],
                         [ip_address: privateAddress, netmask: '255.255.0.0', gateway: '10.134.0.1', type: 'private']], v6: []]]
    }

    private static final List<Map> SIZES = [
            [slug: '512mb', memory: 512, vcpus: 1, disk: 20, transfer: 1.0, price_monthly: 5.0, price_hourly: 0.00744, regions: ['sfo1'], available: true],
            [slug: 's-1vcpu-1gb', memory: 1024, vcpus: 1, disk: 25, transfer: 1.0, price_monthly: 6.0, price_hourly: 0.00893, regions: ['sfo1', 'fra1'], available: true],
            [slug: 's-1vcpu-2gb', memory: 2048, vcpus: 1, disk: 50, transfer: 2.0, price_monthly: 12.0, price_hourly: 0.01786, regions: ['fra1'], available: true]]
    private static final List<Map> REGIONS = [
            [slug: 'fra1', name: 'Frankfurt 1', sizes: ['s-1vcpu-1gb'], features: ['private_networking'], available: true],
            [slug: 'nyc1', name: 'New York 1', sizes: ['s-1vcpu-1gb'], features: ['private_networking'], available: true],
            [slug: 'sfo1', name: 'San Francisco 1', sizes: ['512mb'], features: ['private_networking'], available: true]]
    private static final List<Map> IMAGES = [
            [id: 7555620, slug: 'ubuntu-15-10-x64', name: '15.10 x64', distribution: 'Ubuntu', public: true, regions: ['sfo1'], type: 'snapshot'],
            [id: 1000001, slug: 'debian-12-x64', name: '12 x64', distribution: 'Debian', public: true, regions: ['fra1'], type: 'snapshot']]

    /** Every request: the fake API's answer, from its state. */
    private final class Api implements ResponseDefinitionTransformerV2 {
        @Override
        String getName() { 'fake-digitalocean' }

        @Override
        ResponseDefinition transform(ServeEvent event) {
            synchronized (droplets) {
                answer(event.request)
            }
        }

        private ResponseDefinition answer(LoggedRequest request) {
            String method = request.method.value()
            URI uri = URI.create(request.url)
            String path = uri.path
            Map<String, String> query = (uri.rawQuery ?: '').tokenize('&').collectEntries {
                def (k, v) = it.tokenize('='); [(k): URLDecoder.decode(v ?: '', 'UTF-8')]
            }
            if (request.getHeader('Authorization') != "Bearer $token".toString()) {
                return json(401, [id: 'unauthorized', message: 'Unable to authenticate you'])
            }
            Map failure = failures.find { (it.method == null || it.method == method) && path.startsWith(it.path) }
            if (failure != null) {
                failures.remove(failure)
                if (failure.happensAnyway) {
                    answer(request, method, path, query)
                }
                return json(failure.status, failure.body, failure.headers ?: [:])
            }
            answer(request, method, path, query)
        }

        private ResponseDefinition answer(LoggedRequest request, String method, String path, Map<String, String> query) {
            def id = { path.tokenize('/').last() }
            switch ("$method $path".toString()) {
                case ~/GET \/v2\/account\/keys\/.+/:
                    Map key = keys[id()]
                    return key ? json(200, [ssh_key: key]) : notFound()
                case 'POST /v2/account/keys':
                    Map body = new JsonSlurper().parseText(request.bodyAsString) as Map
                    String fingerprint = PublicKeyFile.fingerprint(body.public_key as String, 'request')
                    Map key = [id: 512189 + keys.size(), fingerprint: fingerprint, public_key: body.public_key, name: body.name]
                    keys[fingerprint] = key
                    return json(201, [ssh_key: key])
                case 'GET /v2/droplets':
                    List<Map> all = droplets.values().findAll { !query.tag_name || it.tags.contains(query.tag_name) }
                    return json(200, page(all, query, 'droplets'))
                case 'POST /v2/droplets':
                    return create(new JsonSlurper().parseText(request.bodyAsString) as Map)
                case ~/GET \/v2\/droplets\/\d+/:
                    Map droplet = droplets[id() as int]
                    if (droplet == null) {
                        return notFound()
                    }
                    if (droplet.status == 'new' && --droplet.reads <= 0) {
                        droplet.status = 'active'
                    }
                    return json(200, [droplet: droplet.findAll { it.key != 'reads' }])
                case ~/DELETE \/v2\/droplets\/\d+/:
                    return droplets.remove(id() as int) ? new ResponseDefinition(204, '') : notFound()
                case ~/GET \/v2\/actions\/\d+/:
                    return json(200, [action: [id: id() as int, status: 'completed', type: 'create', resource_type: 'droplet']])
                case 'GET /v2/sizes':
                    return json(200, page(SIZES, query, 'sizes'))
                case 'GET /v2/regions':
                    return json(200, page(REGIONS, query, 'regions'))
                case 'GET /v2/images':
                    return json(200, page(IMAGES, query, 'images'))
                default:
                    return notFound()
            }
        }

        private ResponseDefinition create(Map body) {
            List<String> names = body.names as List<String>
            if (!REGIONS*.slug.contains(body.region)) {
                return json(422, [id: 'unprocessable_entity', message: 'You specified an invalid region for Droplet creation.'])
            }
            if (!SIZES*.slug.contains(body.size)) {
                return json(422, [id: 'unprocessable_entity', message: 'You specified an invalid size for Droplet creation.'])
            }
            if (!IMAGES*.slug.contains(body.image)) {
                return json(422, [id: 'unprocessable_entity', message: 'You specified an invalid image for Droplet creation.'])
            }
            if (names.size() > dropletLimit) {
                return json(422, [id: 'unprocessable_entity', message: 'creating this/these droplet(s) will exceed your droplet limit'])
            }
            dropletLimit -= names.size()
            List<Map> created = names.collect { name ->
                Map droplet = droplet(nextId++, name, body.tags as List<String>, body.region as String, body.size as String, body.image as String)
                droplet.reads = readsUntilActive
                droplets[droplet.id] = droplet
                droplet.findAll { it.key != 'reads' }
            }
            json(202, [droplets: created, links: [actions: created.collect {
                [id: 36805096 + it.id, rel: 'create', href: "${endpoint()}/v2/actions/${36805096 + it.id}".toString()]
            }]])
        }

        private Map page(List<Map> items, Map<String, String> query, String name) {
            int number = (query.page ?: '1') as int
            int size = Math.min((query.per_page ?: '20') as int, pageSize)
            List<Map> these = items.drop((number - 1) * size).take(size).collect { it.findAll { it.key != 'reads' } }
            int last = Math.max(1, (int) Math.ceil(items.size() / (double) size))
            String base = "${endpoint()}/v2/$name?per_page=$size"
            Map pages = [:]
            if (number < last) {
                pages = [next: "$base&page=${number + 1}".toString(), last: "$base&page=$last".toString()]
            }
            [(name): these, links: [pages: pages], meta: [total: items.size()]]
        }

        private ResponseDefinition notFound() {
            json(404, [id: 'not_found', message: 'The resource you were accessing could not be found.'])
        }

        private ResponseDefinition json(int status, Map body, Map<String, String> extra = [:]) {
            List<HttpHeader> headers = [new HttpHeader('Content-Type', 'application/json'), new HttpHeader('RateLimit-Limit', '5000'),
                                        new HttpHeader('RateLimit-Remaining', '4999'),
                                        new HttpHeader('RateLimit-Reset', String.valueOf(System.currentTimeMillis().intdiv(1000) + 60))]
            extra.each { k, v ->
                headers.removeIf { it.key() == k }
                headers << new HttpHeader(k, v)
            }
            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                    .withHeaders(new HttpHeaders(headers)).withBody(JsonOutput.toJson(body)).build()
        }
    }
}
