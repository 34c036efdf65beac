package io.swarmdsl.transport.ssh;

import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import java.util.Vector;

/**
 * The keys one session offers: its key file's first, then the agent's, as OpenSSH offers them. It
 * stands between JSch and the agent because JSch, given an agent repository, adds every key file it
 * loads to the user's agent.
 */
final class KeyIdentities implements IdentityRepository {
    private final IdentityRepository keyFiles;
    private final IdentityRepository agent;

    KeyIdentities(IdentityRepository keyFiles, IdentityRepository agent) {
        this.keyFiles = keyFiles;
        this.agent = agent;
    }

    @Override
    public String getName() {
        return "key file and " + agent.getName();
    }

    @Override
    public int getStatus() {
        return RUNNING;
    }

    @Override
    public Vector<Identity> getIdentities() {
        Vector<Identity> identities = new Vector<>(keyFiles.getIdentities());
        identities.addAll(agent.getIdentities());
        return identities;
    }

    @Override
    public boolean add(byte[] identity) {
        return keyFiles.add(identity);
    }

    @Override
    public boolean remove(byte[] blob) {
        return keyFiles.remove(blob);
    }

    @Override
    public void removeAll() {
        keyFiles.removeAll();
    }
}
