package io.swarmdsl.model

import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.model.SpecException
import spock.lang.Specification
import spock.lang.Unroll

class ValidationSpec extends Specification {

    @Unroll
    def "#rule: '#script' fails at #position with '#message'"() {
        when:
        ScriptLoader.load('bad.swarm', script)

        then:
        SpecException e = thrown()
        e.describe().startsWith("bad.swarm:$position: ")
        e.message.contains(message)

        where:
        rule                                | script                                                                          || position | message
        'misspelt keyword'                  | 'nodes 3\nmastrs 3'                                                             || '2:1'    | "unknown keyword 'mastrs'; did you mean 'masters'?"
        'unknown keyword'                   | 'frobnicate 3'                                                                  || '1:1'    | "unknown keyword 'frobnicate' (known: "
        'bare misspelt keyword'             | 'nodes 3\n  replicaton'                                                         || '2:3'    | "unknown keyword 'replicaton'"
        'misspelt option word'              | 'swarm replicaton'                                                              || '1:1'    | "did you mean 'replication'?"
        'unknown named option'              | 'nodes 3, prefx: "a"'                                                           || '1:1'    | "unknown nodes option 'prefx'; did you mean 'prefix'?"
        'unknown option in a block'         | 'consul {\n  encrypt true\n  recursor "1.1.1.1"\n}'                             || '3:3'    | "unknown consul option 'recursor'; did you mean 'recursors'?"
        'cluster keyword inside a block'    | 'consul {\n  masters 3\n}'                                                      || '2:3'    | "unknown consul option 'masters'"
        'wrong type'                        | 'masters "three"'                                                               || '1:1'    | "masters expects masters 3"
        'wrong type of option'              | 'nodes 3; ssh port: "twenty-two"'                                               || '1:10'   | "ssh port expects ssh port: 22; got the text 'twenty-two'"
        'word where a number goes'          | 'nodes many'                                                                    || '1:1'    | "got the word many"
        'fraction'                          | 'nodes 2.5'                                                                     || '1:1'    | 'got the number 2.5'
        'masters greater than nodes'        | 'nodes 3\nmasters 5'                                                            || '2:1'    | 'masters 5 is more than the 3 nodes'
        'even masters'                      | 'nodes 7; masters 4'                                                            || '1:10'   | 'masters must be 1, 3, 5 or 7 (a quorum needs an odd number), got 4'
        'too many masters'                  | 'nodes 20; masters 9'                                                           || '1:11'   | 'masters must be 1, 3, 5 or 7'
        'no nodes'                          | 'nodes 0'                                                                       || '1:1'    | 'nodes must be between 1 and 1000, got 0'
        'too many nodes'                    | 'nodes 1001'                                                                    || '1:1'    | 'nodes must be between 1 and 1000, got 1001'
        'hosts disagree with nodes'         | 'nodes 3\nprovider("generic") { hosts { host "a", public: "192.0.2.1" } }'     || '1:1'    | 'nodes 3 disagrees with the 1 hosts'
        'duplicate host names'              | 'provider("generic") {\n hosts {\n  host "a", public: "192.0.2.1"\n  host "a", public: "192.0.2.2"\n }\n}' || '4:3' | "duplicate host name 'a'"
        'invalid address'                   | 'provider("generic") {\n hosts {\n  host "a", public: "300.1.2.3"\n }\n}'       || '3:3'    | "public address '300.1.2.3' is not a valid IP address or host name"
        'invalid private address'           | 'provider("generic") { hosts { host "a", public: "192.0.2.1", private: "10.0.0" } }' || '1:31' | "private address '10.0.0' is not a valid"
        'host without address'              | 'provider("generic") {\n hosts {\n  host "a"\n }\n}'                           || '3:3'    | "host 'a' needs an address"
        'invalid host name'                 | 'provider("generic") { hosts { host "a_b", public: "192.0.2.1" } }'            || '1:31'   | "host name 'a_b' is not a valid host name"
        'generic without hosts'             | 'provider "generic"'                                                            || '1:1'    | "provider 'generic' needs its machines"
        'cloud option on generic'           | 'provider "generic", region: "sfo1"'                                            || '1:1'    | "region applies to provider 'digitalocean', not to 'generic'"
        'hosts on digitalocean'             | 'provider("digitalocean") { hosts { host "a", public: "192.0.2.1" } }'         || '1:28'   | 'hosts are for provider'
        'token written in the script'       | 'provider "digitalocean", token: "dop_v1_abc"'                                  || '1:1'    | 'the token must not be written in the script'
        'token without a source'            | 'provider "digitalocean", token: env("")'                                       || '1:1'    | 'env(...) needs an environment variable name'
        'unknown provider'                  | 'provider "digitalocaen"'                                                       || '1:1'    | "unknown provider 'digitalocaen'; did you mean 'digitalocean'?"
        'provider without a name'           | 'provider region: "sfo1"'                                                       || '1:1'    | 'provider needs a name'
        'bad prefix'                        | 'nodes 3, prefix: "bad_name"'                                                   || '1:1'    | "prefix 'bad_name' is not a valid host name"
        'pattern without number'            | 'nodes 3, pattern: "web"'                                                       || '1:1'    | 'must contain a number format'
        'bad domain'                        | 'domain "exa mple.com"'                                                         || '1:1'    | "domain 'exa mple.com' is not a valid DNS name"
        'bad datacenter'                    | 'datacenter "SFO 1"'                                                            || '1:1'    | "datacenter 'SFO 1' must be lower-case"
        'bad interface'                     | 'clusterInterface "eth 1"'                                                      || '1:1'    | 'is not a network interface name'
        'port out of range'                 | 'engine port: 70000'                                                            || '1:1'    | 'port must be between 1 and 65535, got 70000'
        'unknown known-hosts policy'        | 'ssh knownHosts: "acept-new"'                                                   || '1:1'    | "did you mean 'accept-new'?"
        'bad jump host'                     | 'ssh jump: "me@bad host"'                                                       || '1:1'    | "jump host 'bad host' is not a valid"
        'bad label'                         | 'engine { label "novalue" }'                                                    || '1:10'   | "label 'novalue' must look like key=value"
        'bad registry mirror'               | 'engine registryMirror: "mirror:5000"'                                          || '1:1'    | 'must be an http:// or https:// URL'
        'bad daemon option'                 | 'engine { option "Bad Key", 1 }'                                                || '1:10'   | "daemon option 'Bad Key'"
        'gossip key not base64'             | 'consul encrypt "not base64!"'                                                  || '1:1'    | 'the key is not base64'
        'gossip key of the wrong size'      | 'consul encrypt "c2hvcnQ="'                                                     || '1:1'    | 'the key must be 16, 24 or 32 bytes'
        'encrypt with a number'             | 'consul encrypt 3'                                                              || '1:1'    | 'consul encrypt expects'
        'bad recursor'                      | 'consul recursors: ["1.1.1"]'                                                   || '1:1'    | "recursor '1.1.1' is not a valid"
        'ACLs without TLS'                  | 'consul {\n  tls false\n  acl true\n}'                                          || '3:3'    | 'consul acl needs tls'
        'ACLs on an old Consul'             | "consul version: '1.7.4', acl: true"                                            || '1:1'    | 'consul acl needs Consul 1.8 or later'
        'misspelt down policy'              | "consul downPolicy: 'extend-cach'"                                              || '1:1'    | "did you mean 'extend-cache'?"
        'unknown swarm strategy'            | 'swarm replication; swarm strategy: "sprad"'                                    || '1:20'   | "did you mean 'spread'?"
        'heartbeat not a duration'          | 'swarm replication; swarm heartbeat: "5"'                                       || '1:20'   | "heartbeat is a duration such as '5s', '2m' or '1h', got '5'"
        'reconnect not a duration'          | 'ssh reconnect: "soon"'                                                         || '1:1'    | "reconnect is a duration such as '5s', '2m' or '1h', got 'soon'"
        'heartbeat too short'               | 'swarm replication; swarm heartbeat: "1s"'                                      || '1:20'   | 'heartbeat must be between 2s and 3600s, got 1s'
        'engine refresh in swarm mode'      | 'swarm mode; swarm engineRefresh: "5s"'                                         || '1:13'   | 'swarm engineRefresh is an option of classic Swarm'
        'two kinds of swarm'                | 'swarm replication\nswarm mode'                                                 || '2:1'    | 'contradicts the swarm classic chosen before'
        'flag given a value'                | 'swarm replication true'                                                        || '1:1'    | 'swarm replication takes no value'
        'classic swarm without consul'      | 'consul false\nswarm replication'                                               || '2:1'    | 'classic Swarm finds its nodes through Consul'
        'swarm without engine'              | 'engine false\nswarm mode'                                                      || '2:1'    | 'Swarm needs the Docker engines configured'
        'live-restore in swarm mode'        | 'swarm mode\nengine { option "live-restore", true }'                          || '2:10'   | 'Docker refuses Swarm mode on an engine with live-restore'
        'compose without services'          | 'compose "x", yaml: "a: 1"'                                                     || '1:1'    | "a composition needs at least one service"
        'compose with broken yaml'          | 'compose "x", yaml: "services: [a"'                                             || '1:1'    | 'compose yaml is not valid YAML'
        'compose without a name'            | 'compose yaml: "services: {a: {image: x}}"'                                     || '1:1'    | 'compose needs a name'
        'compose named like the tool'       | 'compose "consul", yaml: "services: {a: {image: x}}"'                           || '1:1'    | "a composition named 'consul' already exists"
        'compose on an unknown node'        | 'nodes 2\ncompose "x", on: "node9", yaml: "services: {a: {image: x}}"'          || '2:1'    | "on: 'node9' is neither a role"
        'hook on an unknown role'           | 'nodes 2\nafter "swarm", on: "master", { run "x" }'                             || '2:1'    | "did you mean 'masters'?"
        'hook on an unknown phase'          | 'before "engin", { run "x" }'                                                   || '1:1'    | "unknown phase 'engin'; did you mean 'engine'?"
        'hook before provision'             | 'before "provision", { run "x" }'                                               || '1:1'    | 'cannot run on nodes that do not exist yet'
        'empty hook'                        | 'after "swarm", { }'                                                            || '1:1'    | 'has nothing to do'
        'upload without destination'        | 'after "swarm", { upload "f" }'                                                 || '1:18'   | 'upload needs a destination'
        'upload to a relative path'         | 'after "swarm", {\n  upload "f", to: "etc/f"\n}'                                || '2:3'    | 'must be an absolute path'
        'upload with a bad mode'            | 'after "swarm", { upload "f", to: "/f", mode: "rw" }'                           || '1:18'   | "mode 'rw' must be octal"
        'too many values'                   | 'nodes 3, 4'                                                                    || '1:1'    | 'nodes takes one value before its options'
        'a block for a value'               | 'masters { 3 }'                                                                 || '1:1'    | 'masters takes a value, not options or a block'
        'unknown name in an expression'     | 'nodes count + 1'                                                               || '1:1'    | "unknown name 'count'"
        'syntax error'                      | 'nodes 3\nconsul {\n  encrypt true\n'                                           || '2:8'    | 'a quote, bracket or brace may be missing'
        'unclosed string'                   | 'domain "example.com'                                                           || '1:8'    | 'a string opened with " is not closed on this line'
    }
}
