package io.swarmdsl.cli

import com.fasterxml.jackson.databind.ObjectMapper
import io.swarmdsl.dsl.ScriptLoader
import io.swarmdsl.provider.Provider
import picocli.CommandLine
import spock.lang.Specification

class MachinesCommandSpec extends Specification {
    def cluster = ScriptLoader.load('doccur.swarm', "provider 'digitalocean', region: 'sfo1'; domain 'example.com'; nodes 2, prefix: 'doccur'; masters 1")
    def machines = [new Provider.Machine('doccur1', 11, '104.236.169.124', '10.134.13.209'),
                    new Provider.Machine('doccur2', 12, '159.203.255.168', '10.134.13.210')]

    def "the shell block is the article's, declare lines in name order"() {
        expect:
        MachinesCommand.sh(cluster, machines) == '''declare -ax MACHINE_CLUSTER_ADDRESSES='(
[0]="10.134.13.209"
[1]="10.134.13.210"
)'
declare -x MACHINE_CLUSTER_INTERFACE="eth1"
declare -x MACHINE_DATACENTER="sfo1"
declare -x MACHINE_DOMAIN="example.com"
declare -x MACHINE_DRIVER="digitalocean"
declare -ax MACHINE_NAMES='(
[0]="doccur1"
[1]="doccur2"
)'
declare -ax MACHINE_PUBLIC_ADDRESSES='(
[0]="104.236.169.124"
[1]="159.203.255.168"
)'
declare -x MACHINE_SSH_USER="root"
'''
    }

    def "JSON says the same"() {
        when:
        def json = new ObjectMapper().readValue(MachinesCommand.json(cluster, machines), Map)

        then:
        json.names == ['doccur1', 'doccur2']
        json.public_addresses == ['104.236.169.124', '159.203.255.168']
        json.cluster_addresses == ['10.134.13.209', '10.134.13.210']
        json.cluster_interface == 'eth1'
        json.datacenter == 'sfo1'
        json.domain == 'example.com'
        json.driver == 'digitalocean'
        json.ssh_user == 'root'
    }

    def "a cluster of existing hosts has no phase one"() {
        given:
        File script = File.createTempFile('generic', '.swarm')
        script.text = "provider('generic') { hosts { host 'a', public: '203.0.113.10' } }"
        def err = new StringWriter()

        when:
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute('machines', script.path)

        then:
        code == Main.INVALID
        err.toString().contains("the script's provider 'generic' makes none: it uses the hosts the script names")

        cleanup:
        script.delete()
    }
}
