package io.swarmdsl.model;

/** {@code upload 'files/motd', to: '/etc/motd', mode: '0644'} in a hook: a file put on the node. */
public final class UploadBuilder extends Section {
    String source;
    String content;
    String to;
    String mode = "0644";

    @Override
    public String sectionName() {
        return "upload";
    }

    @Keyword(usage = "upload 'local/path', to: '/remote/path'   (the local file is read when applying)",
            doc = "The local file to upload, read when applying.", positional = true)
    public UploadBuilder source(String path) {
        this.source = nonBlank("upload source", path);
        return this;
    }

    @Keyword(usage = "upload content: 'text', to: '/remote/path'",
            doc = "The text to upload instead of a local file.")
    public UploadBuilder content(String content) {
        this.content = content;
        return this;
    }

    @Keyword(usage = "upload 'local/path', to: '/remote/path'",
            doc = "The absolute path on the node.")
    public UploadBuilder to(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new SpecException("upload to: must be an absolute path on the node, got '" + path + "'");
        }
        this.to = path;
        return this;
    }

    @Keyword(usage = "upload 'local/path', to: '/remote/path', mode: '0600'",
            doc = "The file's mode, in octal.",
            byDefault = "0644")
    public UploadBuilder mode(String mode) {
        if (mode == null || !mode.matches("0?[0-7]{3}")) {
            throw new SpecException("mode '" + mode + "' must be octal like '0644'");
        }
        this.mode = mode.length() == 3 ? "0" + mode : mode;
        return this;
    }

    HookSpec.Upload build() {
        if (to == null) {
            throw error("upload", "upload needs a destination: to: '/path/on/node'");
        }
        if ((source == null) == (content == null)) {
            throw error("upload", "upload needs either a local file ('path') or content: '…', not both");
        }
        return new HookSpec.Upload(source, content, to, mode);
    }
}
