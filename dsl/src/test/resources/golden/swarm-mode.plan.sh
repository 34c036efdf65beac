#!/usr/bin/env bash
# Cluster fra: the plan of `swarm plan --format sh`, as a script.
# It runs the steps of `swarm apply` one after the other, with ssh, curl, openssl and jq.
# Plan: 94 steps on 5 nodes: 3 provision, 30 ssh, 27 upload, 5 compose, 7 docker, 1 consul, 21 wait.
# No secret is written here: they are read from the environment or files when it runs.
set -euo pipefail

CLUSTER=fra
STATE=.swarm/fra
mkdir -p "$STATE" && chmod 700 "$STATE"
SSH_HOST_KEYS=accept-new
SSH_JUMP=

PROVIDER_TOKEN="$(cat ~/.config/doctl/token)"
[ -s "$STATE/consul-encrypt.key" ] || (umask 077 && head -c 32 /dev/urandom | base64 > "$STATE/consul-encrypt.key")
CONSUL_ENCRYPT="$(cat "$STATE/consul-encrypt.key")"
[ -s "$STATE/consul-acl-management.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-management.key")
CONSUL_ACL_MANAGEMENT="$(cat "$STATE/consul-acl-management.key")"
[ -s "$STATE/consul-acl-default.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-default.key")
CONSUL_ACL_DEFAULT="$(cat "$STATE/consul-acl-default.key")"
[ -s "$STATE/consul-acl-agent-fra-01.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-fra-01.key")
CONSUL_ACL_AGENT_FRA_01="$(cat "$STATE/consul-acl-agent-fra-01.key")"
[ -s "$STATE/consul-acl-agent-fra-02.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-fra-02.key")
CONSUL_ACL_AGENT_FRA_02="$(cat "$STATE/consul-acl-agent-fra-02.key")"
[ -s "$STATE/consul-acl-agent-fra-03.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-fra-03.key")
CONSUL_ACL_AGENT_FRA_03="$(cat "$STATE/consul-acl-agent-fra-03.key")"
[ -s "$STATE/consul-acl-agent-fra-04.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-fra-04.key")
CONSUL_ACL_AGENT_FRA_04="$(cat "$STATE/consul-acl-agent-fra-04.key")"
[ -s "$STATE/consul-acl-agent-fra-05.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-fra-05.key")
CONSUL_ACL_AGENT_FRA_05="$(cat "$STATE/consul-acl-agent-fra-05.key")"


# --- helpers: ssh, files, waits, certificates, Docker and DigitalOcean API calls ---------------
on() {  # on USER HOST PORT KEY ARGS...: run ARGS on a node
  local user=$1 host=$2 port=$3 key=$4; shift 4
  ssh -o BatchMode=yes -o StrictHostKeyChecking="$SSH_HOST_KEYS" -o ConnectTimeout=10 ${SSH_JUMP:+-J "$SSH_JUMP"} \
    -i "$key" -p "$port" "$user@$host" "$@"
}
put() {  # put NODE PATH MODE < CONTENT: write a file on a node, readable only as MODE says
  "on_$1" "sh -c 'umask 077 && mkdir -p \"\$(dirname $2)\" && cat > $2.swarm-new && chmod $3 $2.swarm-new && { mv -f $2.swarm-new $2 2>/dev/null || { cat $2.swarm-new > $2 && rm -f $2.swarm-new; }; }'"
}
wait_until() {  # wait_until SECONDS WHAT COMMAND...: retry COMMAND every 2 s until it succeeds
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "timed out waiting for $what" >&2; return 1; fi
    sleep 2
  done
}
compose_up() {  # compose_up NODE PROJECT FILE
  "on_$1" "if docker compose version >/dev/null 2>&1; then docker compose -p $2 -f $3 up -d --remove-orphans; else docker-compose -p $2 -f $3 up -d --remove-orphans; fi"
}
docker_api() {  # docker_api HOST PORT METHOD PATH [BODY]: the Engine API with the cluster's client certificate
  curl -fsS --cacert "$STATE/ca.pem" --cert "$STATE/cert.pem" --key "$STATE/key.pem" -X "$3" \
    -H 'Content-Type: application/json' ${5:+--data "$5"} "https://$1:$2$4"
}
consul_api() {  # consul_api HOST PORT METHOD PATH [BODY]: Consul's HTTPS API, client certificate and management token (not on a command line)
  curl -fsS --cacert "$STATE/ca.pem" --cert "$STATE/cert.pem" --key "$STATE/key.pem" -X "$3" \
    -H @<(printf 'X-Consul-Token: %s\n' "$CONSUL_ACL_MANAGEMENT") ${5:+--data-binary @<(printf '%s' "$5")} "https://$1:$2$4"
}
consul_acl_policy() {  # consul_acl_policy HOST PORT NAME BODY: creates the policy, or brings it in line
  local id
  id=$(consul_api "$1" "$2" GET /v1/acl/policies | jq -r --arg name "$3" '.[] | select(.Name == $name) | .ID')
  consul_api "$1" "$2" PUT "/v1/acl/policy${id:+/$id}" "$4" >/dev/null
}
consul_acl_token() {  # consul_acl_token HOST PORT ACCESSOR BODY: creates the token, or brings it in line
  if consul_api "$1" "$2" GET "/v1/acl/token/$3" >/dev/null 2>&1; then
    consul_api "$1" "$2" PUT "/v1/acl/token/$3" "$4" >/dev/null
  else
    consul_api "$1" "$2" PUT /v1/acl/token "$4" >/dev/null
  fi
}
consul_leave() {  # consul_leave NODE_HOST SERVER_HOST PORT NODE: the node leaves Consul; a node that is gone is forced out
  consul_api "$1" "$3" PUT /v1/agent/leave >/dev/null 2>&1 || {
    until consul_api "$2" "$3" GET /v1/agent/members | jq -e --arg n "$4" 'any(.[]; .Name == $n and .Status != 1)' >/dev/null; do sleep 1; done
    consul_api "$2" "$3" PUT "/v1/agent/force-leave/$4" >/dev/null
  }
  until ! consul_api "$2" "$3" GET /v1/operator/raft/configuration | jq -e --arg n "$4" 'any(.Servers[]; .Node == $n)' >/dev/null; do sleep 1; done
}
make_ca() {
  [ -s "$STATE/ca.pem" ] && return 0
  (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$STATE/ca-key.pem")
  openssl req -x509 -new -key "$STATE/ca-key.pem" -days 1095 -subj "/O=swarm/CN=$CLUSTER CA" -out "$STATE/ca.pem"
}
make_client_cert() {
  [ -s "$STATE/cert.pem" ] && return 0
  (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$STATE/key.pem")
  openssl req -new -key "$STATE/key.pem" -subj "/O=swarm/CN=client" \
    | openssl x509 -req -CA "$STATE/ca.pem" -CAkey "$STATE/ca-key.pem" -CAcreateserial -days 1095 \
        -extfile <(printf 'extendedKeyUsage=clientAuth\n') -out "$STATE/cert.pem" 2>/dev/null
}
make_server_cert() {  # make_server_cert NODE SANS: server and client usage (Consul presents it both ways)
  mkdir -p "$STATE/$1"
  (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$STATE/$1/server-key.pem")
  openssl req -new -key "$STATE/$1/server-key.pem" -subj "/O=swarm/CN=$1" \
    | openssl x509 -req -CA "$STATE/ca.pem" -CAkey "$STATE/ca-key.pem" -CAcreateserial -days 1095 \
        -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$2") -out "$STATE/$1/server.pem" 2>/dev/null
}
do_api() {  # do_api METHOD PATH [BODY]: DigitalOcean's API v2
  curl -fsS -X "$1" -H "Authorization: Bearer $PROVIDER_TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "https://api.digitalocean.com/v2$2"
}
do_ssh_key() {  # do_ssh_key NAME PUBLIC_KEY_FILE: the key's id, registering it unless its fingerprint is known
  local fingerprint
  fingerprint=$(ssh-keygen -E md5 -lf "$2" | awk '{print $2}' | sed 's/^MD5://')
  do_api GET "/account/keys/$fingerprint" 2>/dev/null | jq -r .ssh_key.id \
    || do_api POST /account/keys "$(jq -n --arg n "$1" --arg k "$(cat "$2")" '{name: $n, public_key: $k}')" | jq -r .ssh_key.id
}
do_droplets() {  # do_droplets NAMES REGION SIZE IMAGE TAGS MONITORING: create the droplets not yet tagged for the cluster
  local existing missing
  existing=$(do_api GET "/droplets?tag_name=swarm:$CLUSTER&per_page=200" | jq -r '.droplets[].name')
  missing=$(tr ',' '\n' <<<"$1" | grep -vxF -f <(printf '%s\n' "$existing") || true)
  [ -z "$missing" ] && return 0
  do_api POST /droplets "$(jq -n --arg names "$missing" --arg r "$2" --arg s "$3" --arg i "$4" --arg t "$5" \
    --argjson m "$6" --arg k "$PROVIDER_SSH_KEY_ID" \
    '{names: ($names | split("\n")), region: $r, size: $s, image: $i, tags: ($t | split(",")),
      monitoring: $m, private_networking: true, ssh_keys: [$k | tonumber]}')" >/dev/null
}
do_droplet() {  # do_droplet NAME: the droplet's JSON
  do_api GET "/droplets?tag_name=swarm:$CLUSTER&per_page=200" | jq -e --arg n "$1" '.droplets[] | select(.name == $n)'
}
do_active() {
  [ "$(do_droplet "$1" | jq -r .status)" = active ]
}
do_address() {  # do_address NAME public|private
  do_droplet "$1" | jq -r --arg t "$2" '.networks.v4[] | select(.type == $t) | .ip_address'
}
# -----------------------------------------------------------------------------------------------
on_fra-01() { on root "$FRA_01_PUBLIC_ADDRESS" 22 ~/.ssh/id_ed25519 "$@"; }
on_fra-02() { on root "$FRA_02_PUBLIC_ADDRESS" 22 ~/.ssh/id_ed25519 "$@"; }
on_fra-03() { on root "$FRA_03_PUBLIC_ADDRESS" 22 ~/.ssh/id_ed25519 "$@"; }
on_fra-04() { on root "$FRA_04_PUBLIC_ADDRESS" 22 ~/.ssh/id_ed25519 "$@"; }
on_fra-05() { on root "$FRA_05_PUBLIC_ADDRESS" 22 ~/.ssh/id_ed25519 "$@"; }

# provision.ssh-key (provision): register the cluster's SSH key with DigitalOcean, or reuse it by fingerprint
PROVIDER_SSH_KEY_ID=$(do_ssh_key swarm-fra ~/.ssh/id_ed25519.pub)

# provision.droplets-masters (provision): create droplets fra-01 fra-02 fra-03 (or adopt those already tagged swarm:fra)
do_droplets fra-01,fra-02,fra-03 fra1 s-1vcpu-2gb debian-12-x64 swarm:fra,swarm:fra:master true

# provision.droplets-agents (provision): create droplets fra-04 fra-05 (or adopt those already tagged swarm:fra)
do_droplets fra-04,fra-05 fra1 s-1vcpu-2gb debian-12-x64 swarm:fra,swarm:fra:agent true

# provision.fra-01.active (wait): wait until droplet fra-01 is active and read its addresses
wait_until 300 'droplet fra-01 active' do_active fra-01
FRA_01_PUBLIC_ADDRESS=$(do_address fra-01 public) FRA_01_PRIVATE_ADDRESS=$(do_address fra-01 private)

# provision.fra-02.active (wait): wait until droplet fra-02 is active and read its addresses
wait_until 300 'droplet fra-02 active' do_active fra-02
FRA_02_PUBLIC_ADDRESS=$(do_address fra-02 public) FRA_02_PRIVATE_ADDRESS=$(do_address fra-02 private)

# provision.fra-03.active (wait): wait until droplet fra-03 is active and read its addresses
wait_until 300 'droplet fra-03 active' do_active fra-03
FRA_03_PUBLIC_ADDRESS=$(do_address fra-03 public) FRA_03_PRIVATE_ADDRESS=$(do_address fra-03 private)

# provision.fra-04.active (wait): wait until droplet fra-04 is active and read its addresses
wait_until 300 'droplet fra-04 active' do_active fra-04
FRA_04_PUBLIC_ADDRESS=$(do_address fra-04 public) FRA_04_PRIVATE_ADDRESS=$(do_address fra-04 private)

# provision.fra-05.active (wait): wait until droplet fra-05 is active and read its addresses
wait_until 300 'droplet fra-05 active' do_active fra-05
FRA_05_PUBLIC_ADDRESS=$(do_address fra-05 public) FRA_05_PRIVATE_ADDRESS=$(do_address fra-05 private)

# provision.fra-01.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on fra-01' on_fra-01 true

# provision.fra-01.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_fra-01 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/fra/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.fra-02.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on fra-02' on_fra-02 true

# provision.fra-02.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_fra-02 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/fra/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.fra-03.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on fra-03' on_fra-03 true

# provision.fra-03.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_fra-03 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/fra/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.fra-04.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on fra-04' on_fra-04 true

# provision.fra-04.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_fra-04 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/fra/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.fra-05.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on fra-05' on_fra-05 true

# provision.fra-05.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_fra-05 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/fra/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# prepare.fra-01.hostname (ssh): set the hostname to fra-01
on_fra-01 bash -s <<'SWARM_EOF'
hostname fra-01 && echo fra-01 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 fra-01.node.fra.example.com fra-01/' /etc/hosts || echo '127.0.1.1 fra-01.node.fra.example.com fra-01' >> /etc/hosts; }
SWARM_EOF

# prepare.fra-01.docker (ssh): install Docker and Compose if absent
on_fra-01 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.fra-02.hostname (ssh): set the hostname to fra-02
on_fra-02 bash -s <<'SWARM_EOF'
hostname fra-02 && echo fra-02 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 fra-02.node.fra.example.com fra-02/' /etc/hosts || echo '127.0.1.1 fra-02.node.fra.example.com fra-02' >> /etc/hosts; }
SWARM_EOF

# prepare.fra-02.docker (ssh): install Docker and Compose if absent
on_fra-02 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.fra-03.hostname (ssh): set the hostname to fra-03
on_fra-03 bash -s <<'SWARM_EOF'
hostname fra-03 && echo fra-03 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 fra-03.node.fra.example.com fra-03/' /etc/hosts || echo '127.0.1.1 fra-03.node.fra.example.com fra-03' >> /etc/hosts; }
SWARM_EOF

# prepare.fra-03.docker (ssh): install Docker and Compose if absent
on_fra-03 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.fra-04.hostname (ssh): set the hostname to fra-04
on_fra-04 bash -s <<'SWARM_EOF'
hostname fra-04 && echo fra-04 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 fra-04.node.fra.example.com fra-04/' /etc/hosts || echo '127.0.1.1 fra-04.node.fra.example.com fra-04' >> /etc/hosts; }
SWARM_EOF

# prepare.fra-04.docker (ssh): install Docker and Compose if absent
on_fra-04 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.fra-05.hostname (ssh): set the hostname to fra-05
on_fra-05 bash -s <<'SWARM_EOF'
hostname fra-05 && echo fra-05 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 fra-05.node.fra.example.com fra-05/' /etc/hosts || echo '127.0.1.1 fra-05.node.fra.example.com fra-05' >> /etc/hosts; }
SWARM_EOF

# prepare.fra-05.docker (ssh): install Docker and Compose if absent
on_fra-05 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# pki.ca (upload): create the cluster's certificate authority (or reuse the one in .swarm/fra/)
make_ca

# pki.client (upload): issue the client certificate for docker, swarm and the executor
make_client_cert

# pki.fra-01.certs (upload): install the node's TLS files (server and client usage)
put fra-01 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert fra-01 "DNS:fra-01,DNS:fra-01.node.fra.example.com,DNS:localhost,DNS:server.fra1.fra.example.com,IP:$FRA_01_PRIVATE_ADDRESS,IP:$FRA_01_PUBLIC_ADDRESS,IP:127.0.0.1"
put fra-01 /etc/docker/server.pem 0644 < "$STATE/fra-01/server.pem"
put fra-01 /etc/docker/server-key.pem 0600 < "$STATE/fra-01/server-key.pem"

# pki.fra-02.certs (upload): install the node's TLS files (server and client usage)
put fra-02 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert fra-02 "DNS:fra-02,DNS:fra-02.node.fra.example.com,DNS:localhost,DNS:server.fra1.fra.example.com,IP:$FRA_02_PRIVATE_ADDRESS,IP:$FRA_02_PUBLIC_ADDRESS,IP:127.0.0.1"
put fra-02 /etc/docker/server.pem 0644 < "$STATE/fra-02/server.pem"
put fra-02 /etc/docker/server-key.pem 0600 < "$STATE/fra-02/server-key.pem"

# pki.fra-03.certs (upload): install the node's TLS files (server and client usage)
put fra-03 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert fra-03 "DNS:fra-03,DNS:fra-03.node.fra.example.com,DNS:localhost,DNS:server.fra1.fra.example.com,IP:$FRA_03_PRIVATE_ADDRESS,IP:$FRA_03_PUBLIC_ADDRESS,IP:127.0.0.1"
put fra-03 /etc/docker/server.pem 0644 < "$STATE/fra-03/server.pem"
put fra-03 /etc/docker/server-key.pem 0600 < "$STATE/fra-03/server-key.pem"

# pki.fra-04.certs (upload): install the node's TLS files (server and client usage)
put fra-04 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert fra-04 "DNS:fra-04,DNS:fra-04.node.fra.example.com,DNS:localhost,IP:$FRA_04_PRIVATE_ADDRESS,IP:$FRA_04_PUBLIC_ADDRESS,IP:127.0.0.1"
put fra-04 /etc/docker/server.pem 0644 < "$STATE/fra-04/server.pem"
put fra-04 /etc/docker/server-key.pem 0600 < "$STATE/fra-04/server-key.pem"

# pki.fra-05.certs (upload): install the node's TLS files (server and client usage)
put fra-05 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert fra-05 "DNS:fra-05,DNS:fra-05.node.fra.example.com,DNS:localhost,IP:$FRA_05_PRIVATE_ADDRESS,IP:$FRA_05_PUBLIC_ADDRESS,IP:127.0.0.1"
put fra-05 /etc/docker/server.pem 0644 < "$STATE/fra-05/server.pem"
put fra-05 /etc/docker/server-key.pem 0600 < "$STATE/fra-05/server-key.pem"

# engine.fra-01.daemon (upload): write the Docker daemon's options
put fra-01 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=digitalocean",
    "role=master"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "5",
    "max-size": "20m"
  },
  "dns": [
    "${FRA_01_PRIVATE_ADDRESS}",
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns-search": [
    "fra.example.com"
  ]
}
SWARM_EOF

# engine.fra-01.restart (ssh): restart the Docker daemon through the node's service manager; if its Consul server ran, wait until it is back with a leader
on_fra-01 bash -s <<'SWARM_EOF'
consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)
{
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
} || exit 1
[ -n "$consul_ran" ] || exit 0
end=$(($(date +%s) + 120))
until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after the engine restart" >&2; exit 1; }
  sleep 0.2
done
SWARM_EOF

# engine.fra-01.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of fra-01' docker_api "$FRA_01_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.fra-02.daemon (upload): write the Docker daemon's options
put fra-02 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=digitalocean",
    "role=master"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "5",
    "max-size": "20m"
  },
  "dns": [
    "${FRA_02_PRIVATE_ADDRESS}",
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns-search": [
    "fra.example.com"
  ]
}
SWARM_EOF

# engine.fra-02.restart (ssh): restart the Docker daemon through the node's service manager; if its Consul server ran, wait until it is back with a leader
on_fra-02 bash -s <<'SWARM_EOF'
consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)
{
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
} || exit 1
[ -n "$consul_ran" ] || exit 0
end=$(($(date +%s) + 120))
until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after the engine restart" >&2; exit 1; }
  sleep 0.2
done
SWARM_EOF

# engine.fra-02.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of fra-02' docker_api "$FRA_02_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.fra-03.daemon (upload): write the Docker daemon's options
put fra-03 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=digitalocean",
    "role=master"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "5",
    "max-size": "20m"
  },
  "dns": [
    "${FRA_03_PRIVATE_ADDRESS}",
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns-search": [
    "fra.example.com"
  ]
}
SWARM_EOF

# engine.fra-03.restart (ssh): restart the Docker daemon through the node's service manager; if its Consul server ran, wait until it is back with a leader
on_fra-03 bash -s <<'SWARM_EOF'
consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)
{
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
} || exit 1
[ -n "$consul_ran" ] || exit 0
end=$(($(date +%s) + 120))
until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after the engine restart" >&2; exit 1; }
  sleep 0.2
done
SWARM_EOF

# engine.fra-03.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of fra-03' docker_api "$FRA_03_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.fra-04.daemon (upload): write the Docker daemon's options
put fra-04 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=digitalocean",
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "5",
    "max-size": "20m"
  },
  "dns": [
    "${FRA_04_PRIVATE_ADDRESS}",
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns-search": [
    "fra.example.com"
  ]
}
SWARM_EOF

# engine.fra-04.restart (ssh): restart the Docker daemon through the node's service manager
on_fra-04 bash -s <<'SWARM_EOF'
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
SWARM_EOF

# engine.fra-04.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of fra-04' docker_api "$FRA_04_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.fra-05.daemon (upload): write the Docker daemon's options
put fra-05 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=digitalocean",
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "5",
    "max-size": "20m"
  },
  "dns": [
    "${FRA_05_PRIVATE_ADDRESS}",
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns-search": [
    "fra.example.com"
  ]
}
SWARM_EOF

# engine.fra-05.restart (ssh): restart the Docker daemon through the node's service manager
on_fra-05 bash -s <<'SWARM_EOF'
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
SWARM_EOF

# engine.fra-05.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of fra-05' docker_api "$FRA_05_PUBLIC_ADDRESS" 2376 GET /_ping

# consul.fra-01.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put fra-01 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${FRA_02_PRIVATE_ADDRESS}",
    "${FRA_03_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.fra-01.config (upload): write the Consul configuration
put fra-01 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "fra1",
  "domain": "fra.example.com.",
  "node_name": "fra-01",
  "advertise_addr": "${FRA_01_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": true,
  "ui": false,
  "performance": {
    "raft_multiplier": 1
  },
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": false,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "encrypt": "${CONSUL_ENCRYPT}",
  "primary_datacenter": "fra1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_FRA_01}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.fra-01.up (compose): bring up the Consul server
put fra-01 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up fra-01 consul /etc/consul/docker-compose.yml

# consul.fra-01.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_fra-01 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
loaded=$(newest /var/lib/swarm/fra/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/fra && touch /var/lib/swarm/fra/consul-certificates-loaded
SWARM_EOF

# consul.fra-01.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_fra-01 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"fra-01"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.fra-02.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put fra-02 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${FRA_01_PRIVATE_ADDRESS}",
    "${FRA_03_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.fra-02.config (upload): write the Consul configuration
put fra-02 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "fra1",
  "domain": "fra.example.com.",
  "node_name": "fra-02",
  "advertise_addr": "${FRA_02_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": true,
  "ui": false,
  "performance": {
    "raft_multiplier": 1
  },
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": false,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "encrypt": "${CONSUL_ENCRYPT}",
  "primary_datacenter": "fra1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_FRA_02}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.fra-02.up (compose): bring up the Consul server
put fra-02 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up fra-02 consul /etc/consul/docker-compose.yml

# consul.fra-02.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_fra-02 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
loaded=$(newest /var/lib/swarm/fra/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/fra && touch /var/lib/swarm/fra/consul-certificates-loaded
SWARM_EOF

# consul.fra-02.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_fra-02 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"fra-02"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.fra-03.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put fra-03 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${FRA_01_PRIVATE_ADDRESS}",
    "${FRA_02_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.fra-03.config (upload): write the Consul configuration
put fra-03 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "fra1",
  "domain": "fra.example.com.",
  "node_name": "fra-03",
  "advertise_addr": "${FRA_03_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": true,
  "ui": false,
  "performance": {
    "raft_multiplier": 1
  },
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": false,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "encrypt": "${CONSUL_ENCRYPT}",
  "primary_datacenter": "fra1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_FRA_03}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.fra-03.up (compose): bring up the Consul server
put fra-03 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up fra-03 consul /etc/consul/docker-compose.yml

# consul.fra-03.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_fra-03 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
loaded=$(newest /var/lib/swarm/fra/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/fra && touch /var/lib/swarm/fra/consul-certificates-loaded
SWARM_EOF

# consul.fra-03.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_fra-03 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"fra-03"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.fra-01.leader (wait): wait until the 3 Consul servers have elected a leader (any server may say so)
wait_until 300 'a Consul leader' on_fra-01 "curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://$FRA_01_PRIVATE_ADDRESS:8501/v1/status/leader https://$FRA_02_PRIVATE_ADDRESS:8501/v1/status/leader https://$FRA_03_PRIVATE_ADDRESS:8501/v1/status/leader | grep -q :"

# consul.fra-01.acl (consul): set up Consul's ACLs: the default token's policy, the default token, an agent token for each node
consul_acl_policy "$FRA_01_PUBLIC_ADDRESS" 8501 swarm-default "$(cat <<'SWARM_EOF'
{
  "Name": "swarm-default",
  "Description": "what a request without a token may do: read the catalog (DNS) and the agents",
  "Rules": "node_prefix \"\" { policy = \"read\" }\nservice_prefix \"\" { policy = \"read\" }\nagent_prefix \"\" { policy = \"read\" }\noperator = \"read\"\n"
}
SWARM_EOF
)"
consul_acl_token "$FRA_01_PUBLIC_ADDRESS" 8501 4acd3717-d909-3ad2-803d-43172196fab0 "$(cat <<SWARM_EOF
{
  "AccessorID": "4acd3717-d909-3ad2-803d-43172196fab0",
  "SecretID": "${CONSUL_ACL_DEFAULT}",
  "Description": "swarm fra: requests without a token (DNS, classic Swarm)",
  "Policies": [
    {
      "Name": "swarm-default"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$FRA_01_PUBLIC_ADDRESS" 8501 76ad1b28-b4f8-30ec-ac39-bdee60e853d1 "$(cat <<SWARM_EOF
{
  "AccessorID": "76ad1b28-b4f8-30ec-ac39-bdee60e853d1",
  "SecretID": "${CONSUL_ACL_AGENT_FRA_01}",
  "Description": "swarm fra: the Consul agent of fra-01",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "fra-01",
      "Datacenter": "fra1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$FRA_01_PUBLIC_ADDRESS" 8501 c63962d5-ab34-33c7-9475-1b3fcb9961fe "$(cat <<SWARM_EOF
{
  "AccessorID": "c63962d5-ab34-33c7-9475-1b3fcb9961fe",
  "SecretID": "${CONSUL_ACL_AGENT_FRA_02}",
  "Description": "swarm fra: the Consul agent of fra-02",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "fra-02",
      "Datacenter": "fra1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$FRA_01_PUBLIC_ADDRESS" 8501 89aba4f4-2b11-34ba-812f-b2e912ef2d3f "$(cat <<SWARM_EOF
{
  "AccessorID": "89aba4f4-2b11-34ba-812f-b2e912ef2d3f",
  "SecretID": "${CONSUL_ACL_AGENT_FRA_03}",
  "Description": "swarm fra: the Consul agent of fra-03",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "fra-03",
      "Datacenter": "fra1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$FRA_01_PUBLIC_ADDRESS" 8501 1b58d1ff-2613-334a-82c7-a4c74e18f034 "$(cat <<SWARM_EOF
{
  "AccessorID": "1b58d1ff-2613-334a-82c7-a4c74e18f034",
  "SecretID": "${CONSUL_ACL_AGENT_FRA_04}",
  "Description": "swarm fra: the Consul agent of fra-04",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "fra-04",
      "Datacenter": "fra1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$FRA_01_PUBLIC_ADDRESS" 8501 e16dd4b1-04ed-36cd-b742-df771bb0c4cf "$(cat <<SWARM_EOF
{
  "AccessorID": "e16dd4b1-04ed-36cd-b742-df771bb0c4cf",
  "SecretID": "${CONSUL_ACL_AGENT_FRA_05}",
  "Description": "swarm fra: the Consul agent of fra-05",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "fra-05",
      "Datacenter": "fra1"
    }
  ]
}
SWARM_EOF
)"

# consul.fra-04.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put fra-04 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${FRA_01_PRIVATE_ADDRESS}",
    "${FRA_02_PRIVATE_ADDRESS}",
    "${FRA_03_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.fra-04.config (upload): write the Consul configuration
put fra-04 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "fra1",
  "domain": "fra.example.com.",
  "node_name": "fra-04",
  "advertise_addr": "${FRA_04_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": false,
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": true,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "encrypt": "${CONSUL_ENCRYPT}",
  "primary_datacenter": "fra1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_FRA_04}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.fra-04.up (compose): bring up the Consul agent
put fra-04 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up fra-04 consul /etc/consul/docker-compose.yml

# consul.fra-04.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_fra-04 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/fra/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/fra && touch /var/lib/swarm/fra/consul-certificates-loaded
SWARM_EOF

# consul.fra-04.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_fra-04 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.fra-05.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put fra-05 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${FRA_01_PRIVATE_ADDRESS}",
    "${FRA_02_PRIVATE_ADDRESS}",
    "${FRA_03_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.fra-05.config (upload): write the Consul configuration
put fra-05 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "fra1",
  "domain": "fra.example.com.",
  "node_name": "fra-05",
  "advertise_addr": "${FRA_05_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": false,
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "1.1.1.1",
    "9.9.9.9"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": true,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "encrypt": "${CONSUL_ENCRYPT}",
  "primary_datacenter": "fra1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_FRA_05}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.fra-05.up (compose): bring up the Consul agent
put fra-05 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up fra-05 consul /etc/consul/docker-compose.yml

# consul.fra-05.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_fra-05 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/fra/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/fra && touch /var/lib/swarm/fra/consul-certificates-loaded
SWARM_EOF

# consul.fra-05.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_fra-05 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# dns.fra-01.resolver (upload): point the node's resolver at its Consul agent
put fra-01 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${FRA_01_PRIVATE_ADDRESS}
nameserver 1.1.1.1
nameserver 9.9.9.9
search fra.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.fra-02.resolver (upload): point the node's resolver at its Consul agent
put fra-02 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${FRA_02_PRIVATE_ADDRESS}
nameserver 1.1.1.1
nameserver 9.9.9.9
search fra.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.fra-03.resolver (upload): point the node's resolver at its Consul agent
put fra-03 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${FRA_03_PRIVATE_ADDRESS}
nameserver 1.1.1.1
nameserver 9.9.9.9
search fra.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.fra-04.resolver (upload): point the node's resolver at its Consul agent
put fra-04 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${FRA_04_PRIVATE_ADDRESS}
nameserver 1.1.1.1
nameserver 9.9.9.9
search fra.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.fra-05.resolver (upload): point the node's resolver at its Consul agent
put fra-05 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${FRA_05_PRIVATE_ADDRESS}
nameserver 1.1.1.1
nameserver 9.9.9.9
search fra.example.com
options timeout:2 attempts:2
SWARM_EOF

# swarm.fra-01.init (docker): initialise Swarm mode; this node is the first manager
docker_api "$FRA_01_PUBLIC_ADDRESS" 2376 POST /swarm/init "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${FRA_01_PRIVATE_ADDRESS}:2377"
}
SWARM_EOF
)"
SWARM_MANAGER_TOKEN=$(docker_api "$FRA_01_PUBLIC_ADDRESS" 2376 GET /swarm | jq -r .JoinTokens.Manager)
SWARM_WORKER_TOKEN=$(docker_api "$FRA_01_PUBLIC_ADDRESS" 2376 GET /swarm | jq -r .JoinTokens.Worker)

# swarm.fra-02.join (docker): join the Swarm as a manager
docker_api "$FRA_02_PUBLIC_ADDRESS" 2376 POST /swarm/join "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${FRA_02_PRIVATE_ADDRESS}:2377",
  "RemoteAddrs": [
    "${FRA_01_PRIVATE_ADDRESS}:2377"
  ],
  "JoinToken": "${SWARM_MANAGER_TOKEN}"
}
SWARM_EOF
)"

# swarm.fra-03.join (docker): join the Swarm as a manager
docker_api "$FRA_03_PUBLIC_ADDRESS" 2376 POST /swarm/join "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${FRA_03_PRIVATE_ADDRESS}:2377",
  "RemoteAddrs": [
    "${FRA_01_PRIVATE_ADDRESS}:2377"
  ],
  "JoinToken": "${SWARM_MANAGER_TOKEN}"
}
SWARM_EOF
)"

# swarm.fra-04.join (docker): join the Swarm as a worker
docker_api "$FRA_04_PUBLIC_ADDRESS" 2376 POST /swarm/join "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${FRA_04_PRIVATE_ADDRESS}:2377",
  "RemoteAddrs": [
    "${FRA_01_PRIVATE_ADDRESS}:2377"
  ],
  "JoinToken": "${SWARM_WORKER_TOKEN}"
}
SWARM_EOF
)"

# swarm.fra-05.join (docker): join the Swarm as a worker
docker_api "$FRA_05_PUBLIC_ADDRESS" 2376 POST /swarm/join "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${FRA_05_PRIVATE_ADDRESS}:2377",
  "RemoteAddrs": [
    "${FRA_01_PRIVATE_ADDRESS}:2377"
  ],
  "JoinToken": "${SWARM_WORKER_TOKEN}"
}
SWARM_EOF
)"

# swarm.fra-01.network (docker): create the attachable overlay network fra
docker_api "$FRA_01_PUBLIC_ADDRESS" 2376 POST /networks/create "$(cat <<'SWARM_EOF'
{
  "Name": "fra",
  "Driver": "overlay",
  "Attachable": true,
  "CheckDuplicate": true
}
SWARM_EOF
)"

# verify.fra-01.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.fra.example.com from the node's resolver
on_fra-01 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 5 ]; then problem="$alive of 5 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.fra.example.com >/dev/null; then problem='the resolver does not answer consul.service.fra.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.fra.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.fra.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.fra-02.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.fra.example.com from the node's resolver
on_fra-02 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 5 ]; then problem="$alive of 5 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.fra.example.com >/dev/null; then problem='the resolver does not answer consul.service.fra.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.fra.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.fra.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.fra-03.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.fra.example.com from the node's resolver
on_fra-03 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 5 ]; then problem="$alive of 5 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.fra.example.com >/dev/null; then problem='the resolver does not answer consul.service.fra.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.fra.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.fra.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.fra-04.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.fra.example.com from the node's resolver
on_fra-04 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 5 ]; then problem="$alive of 5 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.fra.example.com >/dev/null; then problem='the resolver does not answer consul.service.fra.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.fra.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.fra.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.fra-05.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.fra.example.com from the node's resolver
on_fra-05 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 5 ]; then problem="$alive of 5 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.fra.example.com >/dev/null; then problem='the resolver does not answer consul.service.fra.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.fra.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.fra.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.fra-01.swarm (docker): expect 5 nodes Ready, 3 managers with one leader
docker_api "$FRA_01_PUBLIC_ADDRESS" 2376 GET /nodes

echo 'Done: 94 steps on 5 nodes: 3 provision, 30 ssh, 27 upload, 5 compose, 7 docker, 1 consul, 21 wait.'
