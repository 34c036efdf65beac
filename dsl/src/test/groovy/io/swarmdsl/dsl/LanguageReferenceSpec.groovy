package io.swarmdsl.dsl

import io.swarmdsl.model.ClusterBuilder
import io.swarmdsl.model.ClusterSpec
import io.swarmdsl.provider.Providers
import spock.lang.Specification

/** The language reference in docs/language/: written from the builders, every example planned, every default true. */
class LanguageReferenceSpec extends Specification {
    static final File PAGES = new File('../docs/language')

    def "the checked-in reference is what the builders' annotations say, one page per keyword"() {
        given:
        def pages = ReferenceWriter.pages()
        if (Boolean.getBoolean('golden.update')) {
            PAGES.mkdirs()
            PAGES.listFiles().each { it.delete() }
            pages.each { name, text -> new File(PAGES, name).text = text }
        }

        expect:
        PAGES.list().sort() == pages.keySet().sort()
        pages.every { name, text -> new File(PAGES, name).text == text }
        pages.keySet() == (['README.md'] + LanguageReference.keywords()*.name.collect { "${it}.md".toString() }) as Set
    }

    def "every keyword and option says what it means"() {
        given:
        def undocumented = []
        walk(LanguageReference.keywords()) { entry -> if (entry.doc().isBlank()) undocumented << entry.path() }

        expect:
        undocumented == []
    }

    def "the example of #keyword.name uses it and plans as written"() {
        when:
        ClusterSpec cluster = ScriptLoader.load("docs/language/${keyword.name()}.md", keyword.example())
        def plan = Providers.plan(cluster)

        then:
        keyword.example() =~ /(?m)^${keyword.name()}\b/
        !plan.steps().isEmpty()
        ReferenceWriter.pages()["${keyword.name()}.md"].contains(keyword.example())

        where:
        keyword << LanguageReference.keywords()
    }

    def "the documented default of #path is what a script without it gets"() {
        given:
        ClusterSpec cluster = ScriptLoader.run('defaults.swarm', script, new ClusterBuilder()).build()
        String documented = LanguageReference.named(path.tokenize(' ').last()).find { it.path() == path }?.byDefault()

        expect:
        documented
        documented.contains(String.valueOf(read(cluster)))

        where:
        path                    | script                                             | read
        'nodes'                 | ''                                                 | { ClusterSpec c -> c.nodes().size() }
        'masters'               | ''                                                 | { ClusterSpec c -> c.masters().size() }
        'masters'               | 'nodes 2'                                          | { ClusterSpec c -> c.masters().size() }
        'cluster'               | ''                                                 | { ClusterSpec c -> c.name() }
        'domain'                | ''                                                 | { ClusterSpec c -> c.domain() }
        'datacenter'            | ''                                                 | { ClusterSpec c -> c.datacenter() }
        'clusterInterface'      | ''                                                 | { ClusterSpec c -> c.clusterInterface() }
        'nodes prefix'          | ''                                                 | { ClusterSpec c -> c.nodes()[0].name() - '1' }
        'ssh user'              | ''                                                 | { ClusterSpec c -> c.ssh().user() }
        'ssh port'              | ''                                                 | { ClusterSpec c -> c.ssh().port() }
        'ssh key'               | ''                                                 | { ClusterSpec c -> c.ssh().key() }
        'ssh knownHosts'        | ''                                                 | { ClusterSpec c -> c.ssh().knownHosts() }
        'ssh reconnect'         | ''                                                 | { ClusterSpec c -> "${c.ssh().reconnectSeconds().intdiv(60)}m" }
        'engine enabled'        | ''                                                 | { ClusterSpec c -> c.engine().enabled() }
        'engine port'           | ''                                                 | { ClusterSpec c -> c.engine().port() }
        'engine tls'            | ''                                                 | { ClusterSpec c -> c.engine().tls() }
        'engine logDriver'      | ''                                                 | { ClusterSpec c -> c.engine().logDriver() }
        'engine logOpt'         | ''                                                 | { ClusterSpec c -> c.engine().logOpts().collect { k, v -> "$k $v" }.join(', ') }
        'engine logOpts'        | ''                                                 | { ClusterSpec c -> c.engine().logOpts().collect { k, v -> "$k $v" }.join(', ') }
        'engine clusterStore'   | ''                                                 | { ClusterSpec c -> c.engine().clusterStore() }
        'consul enabled'        | ''                                                 | { ClusterSpec c -> c.consul().enabled() }
        'consul version'        | ''                                                 | { ClusterSpec c -> c.consul().serverImage().tokenize(':').last() }
        'consul serverImage'    | ''                                                 | { ClusterSpec c -> c.consul().serverImage() }
        'consul agentImage'     | ''                                                 | { ClusterSpec c -> c.consul().agentImage() }
        'consul encrypt'        | ''                                                 | { ClusterSpec c -> c.consul().encrypt() != null }
        'consul tls'            | ''                                                 | { ClusterSpec c -> c.consul().tls() }
        'consul acl'            | ''                                                 | { ClusterSpec c -> c.consul().acl() }
        'consul downPolicy'     | ''                                                 | { ClusterSpec c -> c.consul().downPolicy() }
        'consul ui'             | ''                                                 | { ClusterSpec c -> c.consul().ui() }
        'consul dnsPort'        | ''                                                 | { ClusterSpec c -> c.consul().dnsPort() }
        'consul recursors'      | ''                                                 | { ClusterSpec c -> c.consul().recursors().join(', ') }
        'swarm'                 | ''                                                 | { ClusterSpec c -> c.swarm().enabled() ? 'on' : 'none' }
        'swarm enabled'         | ''                                                 | { ClusterSpec c -> c.swarm().enabled() }
        'swarm image'           | ''                                                 | { ClusterSpec c -> c.swarm().image() }
        'swarm strategy'        | ''                                                 | { ClusterSpec c -> c.swarm().strategy() }
        'swarm port'            | ''                                                 | { ClusterSpec c -> c.swarm().port() }
        'swarm heartbeat'       | ''                                                 | { ClusterSpec c -> "${c.swarm().heartbeat()}s" }
        'swarm engineRefresh'   | ''                                                 | { ClusterSpec c -> "${c.swarm().engineRefresh()}s" }
        'swarm failover'        | ''                                                 | { ClusterSpec c -> "${c.swarm().failover()}s" }
        'memory accounting'     | ''                                                 | { ClusterSpec c -> c.memoryAccounting() }
        'provider region'       | "provider 'digitalocean'"                          | { ClusterSpec c -> c.provider().region() }
        'provider size'         | "provider 'digitalocean'"                          | { ClusterSpec c -> c.provider().size() }
        'provider image'        | "provider 'digitalocean'"                          | { ClusterSpec c -> c.provider().image() }
        'provider sshKey'       | "provider 'digitalocean'"                          | { ClusterSpec c -> c.provider().sshKey() }
        'provider token'        | "provider 'digitalocean'"                          | { ClusterSpec c -> c.provider().token().reference() }
        'provider monitoring'   | "provider 'digitalocean'"                          | { ClusterSpec c -> c.provider().monitoring() }
        'compose on'            | "compose 'x', services: [a: [image: 'nginx']]"     | { ClusterSpec c -> c.compositions()[0].targets().join(', ') }
        'before on'             | "before 'engine', { run 'true' }"                  | { ClusterSpec c -> c.hooks()[0].targets().join(', ') }
        'upload mode'           | "before 'engine', { upload content: 'x', to: '/x' }" | { ClusterSpec c -> c.hooks()[0].actions()[0].mode() }
    }

    def "help for a keyword gives its meaning, how it is written, its options and its example"() {
        when:
        String help = LanguageReference.help('consul')

        then:
        help.startsWith('consul: Consul on every node')
        help.contains('\n  consul encrypt true\n')
        help.readLines().find { it.startsWith('Options: ') }.tokenize(':, ').containsAll(['encrypt', 'tls', 'acl', 'recursors', 'dnsPort'])
        help.contains('Example:\n  nodes 5\n  consul {')
    }

    def "help for an option names each section it is in, with its default"() {
        when:
        String help = LanguageReference.help('port')

        then:
        help.readLines().findAll { it ==~ /^[a-z]+ port: .*/ }*.tokenize(':')*.first() == ['engine port', 'host port', 'ssh port', 'swarm port']
        help.contains('Default: 2376')
    }

    def "a name the language does not have has no help"() {
        expect:
        LanguageReference.help('mastrs') == null
        !LanguageReference.names().contains('mastrs')
        LanguageReference.names().containsAll(['masters', 'encrypt', 'public', 'upload', 'mode'])
    }

    private static void walk(List<LanguageReference.Entry> entries, Closure visit) {
        entries.each { entry ->
            visit(entry)
            walk(entry.options(), visit)
        }
    }
}
