#!/usr/bin/env bash
# Cluster office: the plan of `swarm plan --format sh`, as a script.
# It runs the steps of `swarm apply` one after the other, with ssh, curl, openssl and jq.
# Plan: 90 steps on 5 nodes: 35 ssh, 27 upload, 10 compose, 1 docker, 1 consul, 16 wait.
# No secret is written here: they are read from the environment or files when it runs.
set -euo pipefail

CLUSTER=office
STATE=.swarm/office
mkdir -p "$STATE" && chmod 700 "$STATE"
SSH_HOST_KEYS=yes
SSH_JUMP=

CONSUL_ENCRYPT="${OFFICE_GOSSIP_KEY:?set OFFICE_GOSSIP_KEY to the Consul gossip key}"
[ -s "$STATE/consul-acl-management.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-management.key")
CONSUL_ACL_MANAGEMENT="$(cat "$STATE/consul-acl-management.key")"
[ -s "$STATE/consul-acl-default.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-default.key")
CONSUL_ACL_DEFAULT="$(cat "$STATE/consul-acl-default.key")"
[ -s "$STATE/consul-acl-agent-alpha.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-alpha.key")
CONSUL_ACL_AGENT_ALPHA="$(cat "$STATE/consul-acl-agent-alpha.key")"
[ -s "$STATE/consul-acl-agent-bravo.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-bravo.key")
CONSUL_ACL_AGENT_BRAVO="$(cat "$STATE/consul-acl-agent-bravo.key")"
[ -s "$STATE/consul-acl-agent-charlie.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-charlie.key")
CONSUL_ACL_AGENT_CHARLIE="$(cat "$STATE/consul-acl-agent-charlie.key")"
[ -s "$STATE/consul-acl-agent-delta.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-delta.key")
CONSUL_ACL_AGENT_DELTA="$(cat "$STATE/consul-acl-agent-delta.key")"
[ -s "$STATE/consul-acl-agent-echo.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-echo.key")
CONSUL_ACL_AGENT_ECHO="$(cat "$STATE/consul-acl-agent-echo.key")"

ALPHA_PUBLIC_ADDRESS=203.0.113.10 ALPHA_PRIVATE_ADDRESS=10.10.0.10
BRAVO_PUBLIC_ADDRESS=203.0.113.11 BRAVO_PRIVATE_ADDRESS=10.10.0.11
CHARLIE_PUBLIC_ADDRESS=203.0.113.12 CHARLIE_PRIVATE_ADDRESS=10.10.0.12
DELTA_PUBLIC_ADDRESS=203.0.113.13 DELTA_PRIVATE_ADDRESS=10.10.0.13
ECHO_PUBLIC_ADDRESS=203.0.113.14 ECHO_PRIVATE_ADDRESS=10.10.0.14

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
on_alpha() { on root "$ALPHA_PUBLIC_ADDRESS" 22 ~/.ssh/office_ed25519 "$@"; }
on_bravo() { on root "$BRAVO_PUBLIC_ADDRESS" 22 ~/.ssh/office_ed25519 "$@"; }
on_charlie() { on root "$CHARLIE_PUBLIC_ADDRESS" 22 ~/.ssh/office_ed25519 "$@"; }
on_delta() { on admin "$DELTA_PUBLIC_ADDRESS" 22 ~/.ssh/delta_ed25519 sudo "$@"; }
on_echo() { on root "$ECHO_PUBLIC_ADDRESS" 2222 ~/.ssh/office_ed25519 "$@"; }

# provision.alpha.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on alpha' on_alpha true

# provision.alpha.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_alpha bash -s <<'SWARM_EOF'
o=/var/lib/swarm/office/originals
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
  '/etc/swarm/docker-compose.yml' \
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

# provision.bravo.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on bravo' on_bravo true

# provision.bravo.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_bravo bash -s <<'SWARM_EOF'
o=/var/lib/swarm/office/originals
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
  '/etc/swarm/docker-compose.yml' \
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

# provision.charlie.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on charlie' on_charlie true

# provision.charlie.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_charlie bash -s <<'SWARM_EOF'
o=/var/lib/swarm/office/originals
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
  '/etc/swarm/docker-compose.yml' \
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

# provision.delta.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on delta' on_delta true

# provision.delta.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_delta bash -s <<'SWARM_EOF'
o=/var/lib/swarm/office/originals
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
  '/etc/swarm/docker-compose.yml' \
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

# provision.echo.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on echo' on_echo true

# provision.echo.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_echo bash -s <<'SWARM_EOF'
o=/var/lib/swarm/office/originals
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
  '/etc/swarm/docker-compose.yml' \
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

# prepare.alpha.hostname (ssh): set the hostname to alpha
on_alpha bash -s <<'SWARM_EOF'
hostname alpha && echo alpha > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 alpha.node.office.example.com alpha/' /etc/hosts || echo '127.0.1.1 alpha.node.office.example.com alpha' >> /etc/hosts; }
SWARM_EOF

# prepare.alpha.docker (ssh): install Docker and Compose if absent
on_alpha bash -s <<'SWARM_EOF'
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

# prepare.bravo.hostname (ssh): set the hostname to bravo
on_bravo bash -s <<'SWARM_EOF'
hostname bravo && echo bravo > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 bravo.node.office.example.com bravo/' /etc/hosts || echo '127.0.1.1 bravo.node.office.example.com bravo' >> /etc/hosts; }
SWARM_EOF

# prepare.bravo.docker (ssh): install Docker and Compose if absent
on_bravo bash -s <<'SWARM_EOF'
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

# prepare.charlie.hostname (ssh): set the hostname to charlie
on_charlie bash -s <<'SWARM_EOF'
hostname charlie && echo charlie > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 charlie.node.office.example.com charlie/' /etc/hosts || echo '127.0.1.1 charlie.node.office.example.com charlie' >> /etc/hosts; }
SWARM_EOF

# prepare.charlie.docker (ssh): install Docker and Compose if absent
on_charlie bash -s <<'SWARM_EOF'
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

# prepare.delta.hostname (ssh): set the hostname to delta
on_delta bash -s <<'SWARM_EOF'
hostname delta && echo delta > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 delta.node.office.example.com delta/' /etc/hosts || echo '127.0.1.1 delta.node.office.example.com delta' >> /etc/hosts; }
SWARM_EOF

# prepare.delta.docker (ssh): install Docker and Compose if absent
on_delta bash -s <<'SWARM_EOF'
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

# prepare.echo.hostname (ssh): set the hostname to echo
on_echo bash -s <<'SWARM_EOF'
hostname echo && echo echo > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 echo.node.office.example.com echo/' /etc/hosts || echo '127.0.1.1 echo.node.office.example.com echo' >> /etc/hosts; }
SWARM_EOF

# prepare.echo.docker (ssh): install Docker and Compose if absent
on_echo bash -s <<'SWARM_EOF'
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

# pki.ca (upload): create the cluster's certificate authority (or reuse the one in .swarm/office/)
make_ca

# pki.client (upload): issue the client certificate for docker, swarm and the executor
make_client_cert

# pki.alpha.certs (upload): install the node's TLS files (server and client usage)
put alpha /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert alpha "DNS:alpha,DNS:alpha.node.office.example.com,DNS:localhost,DNS:server.office1.office.example.com,IP:$ALPHA_PRIVATE_ADDRESS,IP:$ALPHA_PUBLIC_ADDRESS,IP:127.0.0.1"
put alpha /etc/docker/server.pem 0644 < "$STATE/alpha/server.pem"
put alpha /etc/docker/server-key.pem 0600 < "$STATE/alpha/server-key.pem"

# pki.bravo.certs (upload): install the node's TLS files (server and client usage)
put bravo /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert bravo "DNS:bravo,DNS:bravo.node.office.example.com,DNS:localhost,DNS:server.office1.office.example.com,IP:$BRAVO_PRIVATE_ADDRESS,IP:$BRAVO_PUBLIC_ADDRESS,IP:127.0.0.1"
put bravo /etc/docker/server.pem 0644 < "$STATE/bravo/server.pem"
put bravo /etc/docker/server-key.pem 0600 < "$STATE/bravo/server-key.pem"

# pki.charlie.certs (upload): install the node's TLS files (server and client usage)
put charlie /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert charlie "DNS:charlie,DNS:charlie.node.office.example.com,DNS:localhost,DNS:server.office1.office.example.com,IP:$CHARLIE_PRIVATE_ADDRESS,IP:$CHARLIE_PUBLIC_ADDRESS,IP:127.0.0.1"
put charlie /etc/docker/server.pem 0644 < "$STATE/charlie/server.pem"
put charlie /etc/docker/server-key.pem 0600 < "$STATE/charlie/server-key.pem"

# pki.delta.certs (upload): install the node's TLS files (server and client usage)
put delta /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert delta "DNS:delta,DNS:delta.node.office.example.com,DNS:localhost,IP:$DELTA_PRIVATE_ADDRESS,IP:$DELTA_PUBLIC_ADDRESS,IP:127.0.0.1"
put delta /etc/docker/server.pem 0644 < "$STATE/delta/server.pem"
put delta /etc/docker/server-key.pem 0600 < "$STATE/delta/server-key.pem"

# pki.echo.certs (upload): install the node's TLS files (server and client usage)
put echo /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert echo "DNS:echo,DNS:echo.node.office.example.com,DNS:localhost,IP:$ECHO_PRIVATE_ADDRESS,IP:$ECHO_PUBLIC_ADDRESS,IP:127.0.0.1"
put echo /etc/docker/server.pem 0644 < "$STATE/echo/server.pem"
put echo /etc/docker/server-key.pem 0600 < "$STATE/echo/server-key.pem"

# engine.alpha.daemon (upload): write the Docker daemon's options
put alpha /etc/docker/daemon.json 0644 <<'SWARM_EOF'
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
    "provider=generic",
    "role=master",
    "zone=office"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "10.10.0.10",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "office.example.com"
  ],
  "storage-driver": "overlay2",
  "registry-mirrors": [
    "https://mirror.office.example.com"
  ]
}
SWARM_EOF

# engine.alpha.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_alpha bash -s <<'SWARM_EOF'
consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)
{
flags=
if dockerd --version 2>/dev/null | awk '{ split($3, v, "."); exit !(v[1] + 0 < 20 || (v[1] + 0 == 20 && v[2] + 0 < 10)) } END { if (!NR) exit 1 }'; then flags=' --cluster-store=consul://127.0.0.1:8500 --cluster-advertise=eth1:2376'; fi
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s%s\n' "$(command -v dockerd)" "$flags" > /etc/systemd/system/docker.service.d/10-swarm.conf
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

# engine.alpha.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of alpha' docker_api "$ALPHA_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.bravo.daemon (upload): write the Docker daemon's options
put bravo /etc/docker/daemon.json 0644 <<'SWARM_EOF'
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
    "provider=generic",
    "role=master",
    "zone=office"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "10.10.0.11",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "office.example.com"
  ],
  "storage-driver": "overlay2",
  "registry-mirrors": [
    "https://mirror.office.example.com"
  ]
}
SWARM_EOF

# engine.bravo.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_bravo bash -s <<'SWARM_EOF'
consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)
{
flags=
if dockerd --version 2>/dev/null | awk '{ split($3, v, "."); exit !(v[1] + 0 < 20 || (v[1] + 0 == 20 && v[2] + 0 < 10)) } END { if (!NR) exit 1 }'; then flags=' --cluster-store=consul://127.0.0.1:8500 --cluster-advertise=eth1:2376'; fi
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s%s\n' "$(command -v dockerd)" "$flags" > /etc/systemd/system/docker.service.d/10-swarm.conf
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

# engine.bravo.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of bravo' docker_api "$BRAVO_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.charlie.daemon (upload): write the Docker daemon's options
put charlie /etc/docker/daemon.json 0644 <<'SWARM_EOF'
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
    "provider=generic",
    "role=master",
    "zone=office"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "10.10.0.12",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "office.example.com"
  ],
  "storage-driver": "overlay2",
  "registry-mirrors": [
    "https://mirror.office.example.com"
  ]
}
SWARM_EOF

# engine.charlie.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_charlie bash -s <<'SWARM_EOF'
consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)
{
flags=
if dockerd --version 2>/dev/null | awk '{ split($3, v, "."); exit !(v[1] + 0 < 20 || (v[1] + 0 == 20 && v[2] + 0 < 10)) } END { if (!NR) exit 1 }'; then flags=' --cluster-store=consul://127.0.0.1:8500 --cluster-advertise=eth1:2376'; fi
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s%s\n' "$(command -v dockerd)" "$flags" > /etc/systemd/system/docker.service.d/10-swarm.conf
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

# engine.charlie.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of charlie' docker_api "$CHARLIE_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.delta.daemon (upload): write the Docker daemon's options
put delta /etc/docker/daemon.json 0644 <<'SWARM_EOF'
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
    "provider=generic",
    "role=agent",
    "zone=office"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "10.10.0.13",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "office.example.com"
  ],
  "storage-driver": "overlay2",
  "registry-mirrors": [
    "https://mirror.office.example.com"
  ]
}
SWARM_EOF

# engine.delta.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_delta bash -s <<'SWARM_EOF'
flags=
if dockerd --version 2>/dev/null | awk '{ split($3, v, "."); exit !(v[1] + 0 < 20 || (v[1] + 0 == 20 && v[2] + 0 < 10)) } END { if (!NR) exit 1 }'; then flags=' --cluster-store=consul://127.0.0.1:8500 --cluster-advertise=eth1:2376'; fi
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s%s\n' "$(command -v dockerd)" "$flags" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
SWARM_EOF

# engine.delta.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of delta' docker_api "$DELTA_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.echo.daemon (upload): write the Docker daemon's options
put echo /etc/docker/daemon.json 0644 <<'SWARM_EOF'
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
    "provider=generic",
    "role=agent",
    "zone=office"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "10.10.0.14",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "office.example.com"
  ],
  "storage-driver": "overlay2",
  "registry-mirrors": [
    "https://mirror.office.example.com"
  ]
}
SWARM_EOF

# engine.echo.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_echo bash -s <<'SWARM_EOF'
flags=
if dockerd --version 2>/dev/null | awk '{ split($3, v, "."); exit !(v[1] + 0 < 20 || (v[1] + 0 == 20 && v[2] + 0 < 10)) } END { if (!NR) exit 1 }'; then flags=' --cluster-store=consul://127.0.0.1:8500 --cluster-advertise=eth1:2376'; fi
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s%s\n' "$(command -v dockerd)" "$flags" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
SWARM_EOF

# engine.echo.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of echo' docker_api "$ECHO_PUBLIC_ADDRESS" 2376 GET /_ping

# consul.alpha.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put alpha /etc/consul/join.json 0644 <<'SWARM_EOF'
{
  "bootstrap_expect": 3,
  "retry_join": [
    "10.10.0.11",
    "10.10.0.12"
  ]
}
SWARM_EOF

# consul.alpha.config (upload): write the Consul configuration
put alpha /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "office1",
  "domain": "office.example.com.",
  "node_name": "alpha",
  "advertise_addr": "10.10.0.10",
  "client_addr": "0.0.0.0",
  "server": true,
  "ui": true,
  "performance": {
    "raft_multiplier": 1
  },
  "session_ttl_min": "2s",
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "8.8.8.8",
    "8.8.4.4"
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
  "primary_datacenter": "office1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_ALPHA}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.alpha.up (compose): bring up the Consul server
put alpha /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up alpha consul /etc/consul/docker-compose.yml

# consul.alpha.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_alpha bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/office/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/office && touch /var/lib/swarm/office/consul-certificates-loaded
SWARM_EOF

# consul.alpha.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_alpha 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"alpha"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.bravo.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put bravo /etc/consul/join.json 0644 <<'SWARM_EOF'
{
  "bootstrap_expect": 3,
  "retry_join": [
    "10.10.0.10",
    "10.10.0.12"
  ]
}
SWARM_EOF

# consul.bravo.config (upload): write the Consul configuration
put bravo /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "office1",
  "domain": "office.example.com.",
  "node_name": "bravo",
  "advertise_addr": "10.10.0.11",
  "client_addr": "0.0.0.0",
  "server": true,
  "ui": true,
  "performance": {
    "raft_multiplier": 1
  },
  "session_ttl_min": "2s",
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "8.8.8.8",
    "8.8.4.4"
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
  "primary_datacenter": "office1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_BRAVO}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.bravo.up (compose): bring up the Consul server
put bravo /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up bravo consul /etc/consul/docker-compose.yml

# consul.bravo.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_bravo bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/office/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/office && touch /var/lib/swarm/office/consul-certificates-loaded
SWARM_EOF

# consul.bravo.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_bravo 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"bravo"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.charlie.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put charlie /etc/consul/join.json 0644 <<'SWARM_EOF'
{
  "bootstrap_expect": 3,
  "retry_join": [
    "10.10.0.10",
    "10.10.0.11"
  ]
}
SWARM_EOF

# consul.charlie.config (upload): write the Consul configuration
put charlie /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "office1",
  "domain": "office.example.com.",
  "node_name": "charlie",
  "advertise_addr": "10.10.0.12",
  "client_addr": "0.0.0.0",
  "server": true,
  "ui": true,
  "performance": {
    "raft_multiplier": 1
  },
  "session_ttl_min": "2s",
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "8.8.8.8",
    "8.8.4.4"
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
  "primary_datacenter": "office1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_CHARLIE}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.charlie.up (compose): bring up the Consul server
put charlie /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up charlie consul /etc/consul/docker-compose.yml

# consul.charlie.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_charlie bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/office/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/office && touch /var/lib/swarm/office/consul-certificates-loaded
SWARM_EOF

# consul.charlie.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_charlie 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"charlie"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.alpha.leader (wait): wait until the 3 Consul servers have elected a leader (any server may say so)
wait_until 300 'a Consul leader' on_alpha "curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://10.10.0.10:8501/v1/status/leader https://10.10.0.11:8501/v1/status/leader https://10.10.0.12:8501/v1/status/leader | grep -q :"

# consul.alpha.acl (consul): set up Consul's ACLs: the default token's policy, the default token, an agent token for each node
consul_acl_policy "$ALPHA_PUBLIC_ADDRESS" 8501 swarm-default "$(cat <<'SWARM_EOF'
{
  "Name": "swarm-default",
  "Description": "what a request without a token may do: read the catalog (DNS) and the agents, keep classic Swarm's and the engines' state under docker/",
  "Rules": "node_prefix \"\" { policy = \"read\" }\nservice_prefix \"\" { policy = \"read\" }\nagent_prefix \"\" { policy = \"read\" }\noperator = \"read\"\nkey_prefix \"docker/\" { policy = \"write\" }\nsession_prefix \"\" { policy = \"write\" }\n"
}
SWARM_EOF
)"
consul_acl_token "$ALPHA_PUBLIC_ADDRESS" 8501 c0977ea4-d9ab-367e-ad67-22de9cbb6281 "$(cat <<SWARM_EOF
{
  "AccessorID": "c0977ea4-d9ab-367e-ad67-22de9cbb6281",
  "SecretID": "${CONSUL_ACL_DEFAULT}",
  "Description": "swarm office: requests without a token (DNS, classic Swarm)",
  "Policies": [
    {
      "Name": "swarm-default"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$ALPHA_PUBLIC_ADDRESS" 8501 5461bef9-2415-3d78-8c10-01a0ef60aa69 "$(cat <<SWARM_EOF
{
  "AccessorID": "5461bef9-2415-3d78-8c10-01a0ef60aa69",
  "SecretID": "${CONSUL_ACL_AGENT_ALPHA}",
  "Description": "swarm office: the Consul agent of alpha",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "alpha",
      "Datacenter": "office1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$ALPHA_PUBLIC_ADDRESS" 8501 6744410a-56db-3e41-966e-112ec3a78195 "$(cat <<SWARM_EOF
{
  "AccessorID": "6744410a-56db-3e41-966e-112ec3a78195",
  "SecretID": "${CONSUL_ACL_AGENT_BRAVO}",
  "Description": "swarm office: the Consul agent of bravo",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "bravo",
      "Datacenter": "office1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$ALPHA_PUBLIC_ADDRESS" 8501 af0eb52e-bc1f-3d1e-9446-7feff22edbf1 "$(cat <<SWARM_EOF
{
  "AccessorID": "af0eb52e-bc1f-3d1e-9446-7feff22edbf1",
  "SecretID": "${CONSUL_ACL_AGENT_CHARLIE}",
  "Description": "swarm office: the Consul agent of charlie",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "charlie",
      "Datacenter": "office1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$ALPHA_PUBLIC_ADDRESS" 8501 e0da1844-f2ea-3dec-a3a5-c7423e6d9daa "$(cat <<SWARM_EOF
{
  "AccessorID": "e0da1844-f2ea-3dec-a3a5-c7423e6d9daa",
  "SecretID": "${CONSUL_ACL_AGENT_DELTA}",
  "Description": "swarm office: the Consul agent of delta",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "delta",
      "Datacenter": "office1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$ALPHA_PUBLIC_ADDRESS" 8501 59138aa9-4b7a-3bf2-99c6-d4979773a990 "$(cat <<SWARM_EOF
{
  "AccessorID": "59138aa9-4b7a-3bf2-99c6-d4979773a990",
  "SecretID": "${CONSUL_ACL_AGENT_ECHO}",
  "Description": "swarm office: the Consul agent of echo",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "echo",
      "Datacenter": "office1"
    }
  ]
}
SWARM_EOF
)"

# consul.delta.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put delta /etc/consul/join.json 0644 <<'SWARM_EOF'
{
  "retry_join": [
    "10.10.0.10",
    "10.10.0.11",
    "10.10.0.12"
  ]
}
SWARM_EOF

# consul.delta.config (upload): write the Consul configuration
put delta /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "office1",
  "domain": "office.example.com.",
  "node_name": "delta",
  "advertise_addr": "10.10.0.13",
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
    "8.8.8.8",
    "8.8.4.4"
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
  "primary_datacenter": "office1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_DELTA}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.delta.up (compose): bring up the Consul agent
put delta /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up delta consul /etc/consul/docker-compose.yml

# consul.delta.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_delta bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/office/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/office && touch /var/lib/swarm/office/consul-certificates-loaded
SWARM_EOF

# consul.delta.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_delta "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.echo.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put echo /etc/consul/join.json 0644 <<'SWARM_EOF'
{
  "retry_join": [
    "10.10.0.10",
    "10.10.0.11",
    "10.10.0.12"
  ]
}
SWARM_EOF

# consul.echo.config (upload): write the Consul configuration
put echo /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "office1",
  "domain": "office.example.com.",
  "node_name": "echo",
  "advertise_addr": "10.10.0.14",
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
    "8.8.8.8",
    "8.8.4.4"
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
  "primary_datacenter": "office1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_ECHO}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.echo.up (compose): bring up the Consul agent
put echo /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up echo consul /etc/consul/docker-compose.yml

# consul.echo.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_echo bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/office/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/office && touch /var/lib/swarm/office/consul-certificates-loaded
SWARM_EOF

# consul.echo.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_echo "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# dns.alpha.resolver (upload): point the node's resolver at its Consul agent
put alpha /etc/resolv.conf 0644 <<'SWARM_EOF'
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver 10.10.0.10
nameserver 8.8.8.8
nameserver 8.8.4.4
search office.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.bravo.resolver (upload): point the node's resolver at its Consul agent
put bravo /etc/resolv.conf 0644 <<'SWARM_EOF'
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver 10.10.0.11
nameserver 8.8.8.8
nameserver 8.8.4.4
search office.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.charlie.resolver (upload): point the node's resolver at its Consul agent
put charlie /etc/resolv.conf 0644 <<'SWARM_EOF'
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver 10.10.0.12
nameserver 8.8.8.8
nameserver 8.8.4.4
search office.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.delta.resolver (upload): point the node's resolver at its Consul agent
put delta /etc/resolv.conf 0644 <<'SWARM_EOF'
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver 10.10.0.13
nameserver 8.8.8.8
nameserver 8.8.4.4
search office.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.echo.resolver (upload): point the node's resolver at its Consul agent
put echo /etc/resolv.conf 0644 <<'SWARM_EOF'
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver 10.10.0.14
nameserver 8.8.8.8
nameserver 8.8.4.4
search office.example.com
options timeout:2 attempts:2
SWARM_EOF

# swarm.alpha.up (compose): bring up the Swarm manager and agent
put alpha /etc/swarm/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  swarm-agent-master:
    image: swarm:1.2.9
    container_name: swarm-agent-master
    network_mode: host
    volumes:
      - swarm-agent-master-data:/.swarm
      - /etc/docker:/etc/docker:ro
    restart: always
    dns:
      - 10.10.0.10
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - manage
      - --tlsverify
      - --tlscacert=/etc/docker/ca.pem
      - --tlscert=/etc/docker/server.pem
      - --tlskey=/etc/docker/server-key.pem
      - -H
      - tcp://0.0.0.0:3376
      - --strategy
      - spread
      - --advertise
      - 10.10.0.10:3376
      - --heartbeat
      - 5s
      - --engine-refresh-min-interval
      - 2s
      - --engine-refresh-max-interval
      - 4s
      - --replication
      - --replication-ttl
      - 6s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.10:8501
  swarm-agent:
    image: swarm:1.2.9
    container_name: swarm-agent
    volumes:
      - swarm-agent-data:/.swarm
      - /etc/docker/ca.pem:/etc/docker/ca.pem:ro
      - /etc/docker/server.pem:/etc/docker/server.pem:ro
      - /etc/docker/server-key.pem:/etc/docker/server-key.pem:ro
    restart: always
    dns:
      - 10.10.0.10
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - join
      - --advertise
      - 10.10.0.10:2376
      - --heartbeat
      - 5s
      - --ttl
      - 15s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.10:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up alpha swarm /etc/swarm/docker-compose.yml

# swarm.alpha.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_alpha bash -s <<'SWARM_EOF'
newest=$(stat -c %.9Y /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem 2>/dev/null | tr -d . | sort -n | tail -1)
[ -n "$newest" ] || exit 0
restarted=
for c in swarm-agent-master swarm-agent; do
  started=$(docker inspect -f '{{.State.StartedAt}}' "$c" 2>/dev/null) || continue
  [ "$newest" -gt "$(date -d "$started" +%s%N)" ] || continue
  docker restart "$c" >/dev/null || exit 1
  restarted=1
done
[ -n "$restarted" ] || exit 0
end=$(($(date +%s) + 60))
until curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://127.0.0.1:3376/_ping >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Swarm manager did not answer 60 s after its restart" >&2; exit 1; }
  sleep 0.2
done
SWARM_EOF

# swarm.bravo.up (compose): bring up the Swarm manager and agent
put bravo /etc/swarm/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  swarm-agent-master:
    image: swarm:1.2.9
    container_name: swarm-agent-master
    network_mode: host
    volumes:
      - swarm-agent-master-data:/.swarm
      - /etc/docker:/etc/docker:ro
    restart: always
    dns:
      - 10.10.0.11
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - manage
      - --tlsverify
      - --tlscacert=/etc/docker/ca.pem
      - --tlscert=/etc/docker/server.pem
      - --tlskey=/etc/docker/server-key.pem
      - -H
      - tcp://0.0.0.0:3376
      - --strategy
      - spread
      - --advertise
      - 10.10.0.11:3376
      - --heartbeat
      - 5s
      - --engine-refresh-min-interval
      - 2s
      - --engine-refresh-max-interval
      - 4s
      - --replication
      - --replication-ttl
      - 6s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.11:8501
  swarm-agent:
    image: swarm:1.2.9
    container_name: swarm-agent
    volumes:
      - swarm-agent-data:/.swarm
      - /etc/docker/ca.pem:/etc/docker/ca.pem:ro
      - /etc/docker/server.pem:/etc/docker/server.pem:ro
      - /etc/docker/server-key.pem:/etc/docker/server-key.pem:ro
    restart: always
    dns:
      - 10.10.0.11
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - join
      - --advertise
      - 10.10.0.11:2376
      - --heartbeat
      - 5s
      - --ttl
      - 15s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.11:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up bravo swarm /etc/swarm/docker-compose.yml

# swarm.bravo.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_bravo bash -s <<'SWARM_EOF'
newest=$(stat -c %.9Y /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem 2>/dev/null | tr -d . | sort -n | tail -1)
[ -n "$newest" ] || exit 0
restarted=
for c in swarm-agent-master swarm-agent; do
  started=$(docker inspect -f '{{.State.StartedAt}}' "$c" 2>/dev/null) || continue
  [ "$newest" -gt "$(date -d "$started" +%s%N)" ] || continue
  docker restart "$c" >/dev/null || exit 1
  restarted=1
done
[ -n "$restarted" ] || exit 0
end=$(($(date +%s) + 60))
until curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://127.0.0.1:3376/_ping >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Swarm manager did not answer 60 s after its restart" >&2; exit 1; }
  sleep 0.2
done
SWARM_EOF

# swarm.charlie.up (compose): bring up the Swarm manager and agent
put charlie /etc/swarm/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  swarm-agent-master:
    image: swarm:1.2.9
    container_name: swarm-agent-master
    network_mode: host
    volumes:
      - swarm-agent-master-data:/.swarm
      - /etc/docker:/etc/docker:ro
    restart: always
    dns:
      - 10.10.0.12
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - manage
      - --tlsverify
      - --tlscacert=/etc/docker/ca.pem
      - --tlscert=/etc/docker/server.pem
      - --tlskey=/etc/docker/server-key.pem
      - -H
      - tcp://0.0.0.0:3376
      - --strategy
      - spread
      - --advertise
      - 10.10.0.12:3376
      - --heartbeat
      - 5s
      - --engine-refresh-min-interval
      - 2s
      - --engine-refresh-max-interval
      - 4s
      - --replication
      - --replication-ttl
      - 6s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.12:8501
  swarm-agent:
    image: swarm:1.2.9
    container_name: swarm-agent
    volumes:
      - swarm-agent-data:/.swarm
      - /etc/docker/ca.pem:/etc/docker/ca.pem:ro
      - /etc/docker/server.pem:/etc/docker/server.pem:ro
      - /etc/docker/server-key.pem:/etc/docker/server-key.pem:ro
    restart: always
    dns:
      - 10.10.0.12
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - join
      - --advertise
      - 10.10.0.12:2376
      - --heartbeat
      - 5s
      - --ttl
      - 15s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.12:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up charlie swarm /etc/swarm/docker-compose.yml

# swarm.charlie.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_charlie bash -s <<'SWARM_EOF'
newest=$(stat -c %.9Y /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem 2>/dev/null | tr -d . | sort -n | tail -1)
[ -n "$newest" ] || exit 0
restarted=
for c in swarm-agent-master swarm-agent; do
  started=$(docker inspect -f '{{.State.StartedAt}}' "$c" 2>/dev/null) || continue
  [ "$newest" -gt "$(date -d "$started" +%s%N)" ] || continue
  docker restart "$c" >/dev/null || exit 1
  restarted=1
done
[ -n "$restarted" ] || exit 0
end=$(($(date +%s) + 60))
until curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://127.0.0.1:3376/_ping >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Swarm manager did not answer 60 s after its restart" >&2; exit 1; }
  sleep 0.2
done
SWARM_EOF

# swarm.delta.up (compose): bring up the Swarm agent
put delta /etc/swarm/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  swarm-agent:
    image: swarm:1.2.9
    container_name: swarm-agent
    volumes:
      - swarm-agent-data:/.swarm
      - /etc/docker/ca.pem:/etc/docker/ca.pem:ro
      - /etc/docker/server.pem:/etc/docker/server.pem:ro
      - /etc/docker/server-key.pem:/etc/docker/server-key.pem:ro
    restart: always
    dns:
      - 10.10.0.13
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - join
      - --advertise
      - 10.10.0.13:2376
      - --heartbeat
      - 5s
      - --ttl
      - 15s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.13:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up delta swarm /etc/swarm/docker-compose.yml

# swarm.delta.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_delta bash -s <<'SWARM_EOF'
newest=$(stat -c %.9Y /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem 2>/dev/null | tr -d . | sort -n | tail -1)
[ -n "$newest" ] || exit 0
restarted=
for c in swarm-agent; do
  started=$(docker inspect -f '{{.State.StartedAt}}' "$c" 2>/dev/null) || continue
  [ "$newest" -gt "$(date -d "$started" +%s%N)" ] || continue
  docker restart "$c" >/dev/null || exit 1
  restarted=1
done
SWARM_EOF

# swarm.echo.up (compose): bring up the Swarm agent
put echo /etc/swarm/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  swarm-agent:
    image: swarm:1.2.9
    container_name: swarm-agent
    volumes:
      - swarm-agent-data:/.swarm
      - /etc/docker/ca.pem:/etc/docker/ca.pem:ro
      - /etc/docker/server.pem:/etc/docker/server.pem:ro
      - /etc/docker/server-key.pem:/etc/docker/server-key.pem:ro
    restart: always
    dns:
      - 10.10.0.14
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - office.example.com
    command:
      - join
      - --advertise
      - 10.10.0.14:2376
      - --heartbeat
      - 5s
      - --ttl
      - 15s
      - --discovery-opt
      - kv.cacertfile=/etc/docker/ca.pem
      - --discovery-opt
      - kv.certfile=/etc/docker/server.pem
      - --discovery-opt
      - kv.keyfile=/etc/docker/server-key.pem
      - consul://10.10.0.14:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up echo swarm /etc/swarm/docker-compose.yml

# swarm.echo.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_echo bash -s <<'SWARM_EOF'
newest=$(stat -c %.9Y /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem 2>/dev/null | tr -d . | sort -n | tail -1)
[ -n "$newest" ] || exit 0
restarted=
for c in swarm-agent; do
  started=$(docker inspect -f '{{.State.StartedAt}}' "$c" 2>/dev/null) || continue
  [ "$newest" -gt "$(date -d "$started" +%s%N)" ] || continue
  docker restart "$c" >/dev/null || exit 1
  restarted=1
done
SWARM_EOF

# verify.alpha.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.office.example.com from the node's resolver
on_alpha bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.office.example.com >/dev/null; then problem='the resolver does not answer consul.service.office.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.office.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.office.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.bravo.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.office.example.com from the node's resolver
on_bravo bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.office.example.com >/dev/null; then problem='the resolver does not answer consul.service.office.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.office.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.office.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.charlie.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.office.example.com from the node's resolver
on_charlie bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.office.example.com >/dev/null; then problem='the resolver does not answer consul.service.office.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.office.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.office.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.delta.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.office.example.com from the node's resolver
on_delta bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.office.example.com >/dev/null; then problem='the resolver does not answer consul.service.office.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.office.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.office.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.echo.consul (ssh): expect 5 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.office.example.com from the node's resolver
on_echo bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.office.example.com >/dev/null; then problem='the resolver does not answer consul.service.office.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.office.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.office.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.alpha.swarm (docker): expect 5 healthy nodes in classic Swarm, one primary manager and 2 replicas
docker_api "$ALPHA_PUBLIC_ADDRESS" 3376 GET /info

echo 'Done: 90 steps on 5 nodes: 35 ssh, 27 upload, 10 compose, 1 docker, 1 consul, 16 wait.'
