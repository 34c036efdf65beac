#!/usr/bin/env bash
# Cluster swarm: the plan of `swarm plan --format sh`, as a script.
# It runs the steps of `swarm apply` one after the other, with ssh, curl, openssl and jq.
# Plan: 124 steps on 7 nodes: 49 ssh, 37 upload, 14 compose, 1 docker, 1 consul, 22 wait.
# No secret is written here: they are read from the environment or files when it runs.
set -euo pipefail

CLUSTER=swarm
STATE=.swarm/swarm
mkdir -p "$STATE" && chmod 700 "$STATE"
SSH_HOST_KEYS=accept-new
SSH_JUMP=

[ -s "$STATE/consul-encrypt.key" ] || (umask 077 && head -c 32 /dev/urandom | base64 > "$STATE/consul-encrypt.key")
CONSUL_ENCRYPT="$(cat "$STATE/consul-encrypt.key")"
[ -s "$STATE/consul-acl-management.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-management.key")
CONSUL_ACL_MANAGEMENT="$(cat "$STATE/consul-acl-management.key")"
[ -s "$STATE/consul-acl-default.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-default.key")
CONSUL_ACL_DEFAULT="$(cat "$STATE/consul-acl-default.key")"
[ -s "$STATE/consul-acl-agent-node1.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-node1.key")
CONSUL_ACL_AGENT_NODE1="$(cat "$STATE/consul-acl-agent-node1.key")"
[ -s "$STATE/consul-acl-agent-node2.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-node2.key")
CONSUL_ACL_AGENT_NODE2="$(cat "$STATE/consul-acl-agent-node2.key")"
[ -s "$STATE/consul-acl-agent-node3.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-node3.key")
CONSUL_ACL_AGENT_NODE3="$(cat "$STATE/consul-acl-agent-node3.key")"
[ -s "$STATE/consul-acl-agent-node4.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-node4.key")
CONSUL_ACL_AGENT_NODE4="$(cat "$STATE/consul-acl-agent-node4.key")"
[ -s "$STATE/consul-acl-agent-node5.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-node5.key")
CONSUL_ACL_AGENT_NODE5="$(cat "$STATE/consul-acl-agent-node5.key")"
[ -s "$STATE/consul-acl-agent-node6.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-node6.key")
CONSUL_ACL_AGENT_NODE6="$(cat "$STATE/consul-acl-agent-node6.key")"
[ -s "$STATE/consul-acl-agent-node7.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-node7.key")
CONSUL_ACL_AGENT_NODE7="$(cat "$STATE/consul-acl-agent-node7.key")"

: "${NODE1_PUBLIC_ADDRESS:?no provider: set NODE1_PUBLIC_ADDRESS}" "${NODE1_PRIVATE_ADDRESS:=$NODE1_PUBLIC_ADDRESS}"
: "${NODE2_PUBLIC_ADDRESS:?no provider: set NODE2_PUBLIC_ADDRESS}" "${NODE2_PRIVATE_ADDRESS:=$NODE2_PUBLIC_ADDRESS}"
: "${NODE3_PUBLIC_ADDRESS:?no provider: set NODE3_PUBLIC_ADDRESS}" "${NODE3_PRIVATE_ADDRESS:=$NODE3_PUBLIC_ADDRESS}"
: "${NODE4_PUBLIC_ADDRESS:?no provider: set NODE4_PUBLIC_ADDRESS}" "${NODE4_PRIVATE_ADDRESS:=$NODE4_PUBLIC_ADDRESS}"
: "${NODE5_PUBLIC_ADDRESS:?no provider: set NODE5_PUBLIC_ADDRESS}" "${NODE5_PRIVATE_ADDRESS:=$NODE5_PUBLIC_ADDRESS}"
: "${NODE6_PUBLIC_ADDRESS:?no provider: set NODE6_PUBLIC_ADDRESS}" "${NODE6_PRIVATE_ADDRESS:=$NODE6_PUBLIC_ADDRESS}"
: "${NODE7_PUBLIC_ADDRESS:?no provider: set NODE7_PUBLIC_ADDRESS}" "${NODE7_PRIVATE_ADDRESS:=$NODE7_PUBLIC_ADDRESS}"

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
on_node1() { on root "$NODE1_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_node2() { on root "$NODE2_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_node3() { on root "$NODE3_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_node4() { on root "$NODE4_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_node5() { on root "$NODE5_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_node6() { on root "$NODE6_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_node7() { on root "$NODE7_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }

# provision.node1.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on node1' on_node1 true

# provision.node1.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_node1 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/swarm/originals
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

# provision.node2.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on node2' on_node2 true

# provision.node2.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_node2 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/swarm/originals
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

# provision.node3.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on node3' on_node3 true

# provision.node3.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_node3 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/swarm/originals
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

# provision.node4.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on node4' on_node4 true

# provision.node4.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_node4 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/swarm/originals
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

# provision.node5.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on node5' on_node5 true

# provision.node5.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_node5 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/swarm/originals
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

# provision.node6.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on node6' on_node6 true

# provision.node6.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_node6 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/swarm/originals
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

# provision.node7.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on node7' on_node7 true

# provision.node7.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_node7 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/swarm/originals
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

# prepare.node1.hostname (ssh): set the hostname to node1
on_node1 bash -s <<'SWARM_EOF'
hostname node1 && echo node1 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 node1.node.consul node1/' /etc/hosts || echo '127.0.1.1 node1.node.consul node1' >> /etc/hosts; }
SWARM_EOF

# prepare.node1.docker (ssh): install Docker and Compose if absent
on_node1 bash -s <<'SWARM_EOF'
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

# prepare.node2.hostname (ssh): set the hostname to node2
on_node2 bash -s <<'SWARM_EOF'
hostname node2 && echo node2 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 node2.node.consul node2/' /etc/hosts || echo '127.0.1.1 node2.node.consul node2' >> /etc/hosts; }
SWARM_EOF

# prepare.node2.docker (ssh): install Docker and Compose if absent
on_node2 bash -s <<'SWARM_EOF'
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

# prepare.node3.hostname (ssh): set the hostname to node3
on_node3 bash -s <<'SWARM_EOF'
hostname node3 && echo node3 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 node3.node.consul node3/' /etc/hosts || echo '127.0.1.1 node3.node.consul node3' >> /etc/hosts; }
SWARM_EOF

# prepare.node3.docker (ssh): install Docker and Compose if absent
on_node3 bash -s <<'SWARM_EOF'
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

# prepare.node4.hostname (ssh): set the hostname to node4
on_node4 bash -s <<'SWARM_EOF'
hostname node4 && echo node4 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 node4.node.consul node4/' /etc/hosts || echo '127.0.1.1 node4.node.consul node4' >> /etc/hosts; }
SWARM_EOF

# prepare.node4.docker (ssh): install Docker and Compose if absent
on_node4 bash -s <<'SWARM_EOF'
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

# prepare.node5.hostname (ssh): set the hostname to node5
on_node5 bash -s <<'SWARM_EOF'
hostname node5 && echo node5 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 node5.node.consul node5/' /etc/hosts || echo '127.0.1.1 node5.node.consul node5' >> /etc/hosts; }
SWARM_EOF

# prepare.node5.docker (ssh): install Docker and Compose if absent
on_node5 bash -s <<'SWARM_EOF'
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

# prepare.node6.hostname (ssh): set the hostname to node6
on_node6 bash -s <<'SWARM_EOF'
hostname node6 && echo node6 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 node6.node.consul node6/' /etc/hosts || echo '127.0.1.1 node6.node.consul node6' >> /etc/hosts; }
SWARM_EOF

# prepare.node6.docker (ssh): install Docker and Compose if absent
on_node6 bash -s <<'SWARM_EOF'
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

# prepare.node7.hostname (ssh): set the hostname to node7
on_node7 bash -s <<'SWARM_EOF'
hostname node7 && echo node7 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 node7.node.consul node7/' /etc/hosts || echo '127.0.1.1 node7.node.consul node7' >> /etc/hosts; }
SWARM_EOF

# prepare.node7.docker (ssh): install Docker and Compose if absent
on_node7 bash -s <<'SWARM_EOF'
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

# pki.ca (upload): create the cluster's certificate authority (or reuse the one in .swarm/swarm/)
make_ca

# pki.client (upload): issue the client certificate for docker, swarm and the executor
make_client_cert

# pki.node1.certs (upload): install the node's TLS files (server and client usage)
put node1 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert node1 "DNS:node1,DNS:node1.node.consul,DNS:localhost,DNS:server.dc1.consul,IP:$NODE1_PRIVATE_ADDRESS,IP:$NODE1_PUBLIC_ADDRESS,IP:127.0.0.1"
put node1 /etc/docker/server.pem 0644 < "$STATE/node1/server.pem"
put node1 /etc/docker/server-key.pem 0600 < "$STATE/node1/server-key.pem"

# pki.node2.certs (upload): install the node's TLS files (server and client usage)
put node2 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert node2 "DNS:node2,DNS:node2.node.consul,DNS:localhost,DNS:server.dc1.consul,IP:$NODE2_PRIVATE_ADDRESS,IP:$NODE2_PUBLIC_ADDRESS,IP:127.0.0.1"
put node2 /etc/docker/server.pem 0644 < "$STATE/node2/server.pem"
put node2 /etc/docker/server-key.pem 0600 < "$STATE/node2/server-key.pem"

# pki.node3.certs (upload): install the node's TLS files (server and client usage)
put node3 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert node3 "DNS:node3,DNS:node3.node.consul,DNS:localhost,DNS:server.dc1.consul,IP:$NODE3_PRIVATE_ADDRESS,IP:$NODE3_PUBLIC_ADDRESS,IP:127.0.0.1"
put node3 /etc/docker/server.pem 0644 < "$STATE/node3/server.pem"
put node3 /etc/docker/server-key.pem 0600 < "$STATE/node3/server-key.pem"

# pki.node4.certs (upload): install the node's TLS files (server and client usage)
put node4 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert node4 "DNS:node4,DNS:node4.node.consul,DNS:localhost,IP:$NODE4_PRIVATE_ADDRESS,IP:$NODE4_PUBLIC_ADDRESS,IP:127.0.0.1"
put node4 /etc/docker/server.pem 0644 < "$STATE/node4/server.pem"
put node4 /etc/docker/server-key.pem 0600 < "$STATE/node4/server-key.pem"

# pki.node5.certs (upload): install the node's TLS files (server and client usage)
put node5 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert node5 "DNS:node5,DNS:node5.node.consul,DNS:localhost,IP:$NODE5_PRIVATE_ADDRESS,IP:$NODE5_PUBLIC_ADDRESS,IP:127.0.0.1"
put node5 /etc/docker/server.pem 0644 < "$STATE/node5/server.pem"
put node5 /etc/docker/server-key.pem 0600 < "$STATE/node5/server-key.pem"

# pki.node6.certs (upload): install the node's TLS files (server and client usage)
put node6 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert node6 "DNS:node6,DNS:node6.node.consul,DNS:localhost,IP:$NODE6_PRIVATE_ADDRESS,IP:$NODE6_PUBLIC_ADDRESS,IP:127.0.0.1"
put node6 /etc/docker/server.pem 0644 < "$STATE/node6/server.pem"
put node6 /etc/docker/server-key.pem 0600 < "$STATE/node6/server-key.pem"

# pki.node7.certs (upload): install the node's TLS files (server and client usage)
put node7 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert node7 "DNS:node7,DNS:node7.node.consul,DNS:localhost,IP:$NODE7_PRIVATE_ADDRESS,IP:$NODE7_PUBLIC_ADDRESS,IP:127.0.0.1"
put node7 /etc/docker/server.pem 0644 < "$STATE/node7/server.pem"
put node7 /etc/docker/server-key.pem 0600 < "$STATE/node7/server-key.pem"

# engine.node1.daemon (upload): write the Docker daemon's options
put node1 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "role=master"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${NODE1_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "consul"
  ]
}
SWARM_EOF

# engine.node1.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_node1 bash -s <<'SWARM_EOF'
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

# engine.node1.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of node1' docker_api "$NODE1_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.node2.daemon (upload): write the Docker daemon's options
put node2 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "role=master"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${NODE2_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "consul"
  ]
}
SWARM_EOF

# engine.node2.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_node2 bash -s <<'SWARM_EOF'
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

# engine.node2.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of node2' docker_api "$NODE2_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.node3.daemon (upload): write the Docker daemon's options
put node3 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "role=master"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${NODE3_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "consul"
  ]
}
SWARM_EOF

# engine.node3.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_node3 bash -s <<'SWARM_EOF'
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

# engine.node3.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of node3' docker_api "$NODE3_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.node4.daemon (upload): write the Docker daemon's options
put node4 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${NODE4_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "consul"
  ]
}
SWARM_EOF

# engine.node4.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_node4 bash -s <<'SWARM_EOF'
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

# engine.node4.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of node4' docker_api "$NODE4_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.node5.daemon (upload): write the Docker daemon's options
put node5 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${NODE5_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "consul"
  ]
}
SWARM_EOF

# engine.node5.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_node5 bash -s <<'SWARM_EOF'
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

# engine.node5.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of node5' docker_api "$NODE5_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.node6.daemon (upload): write the Docker daemon's options
put node6 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${NODE6_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "consul"
  ]
}
SWARM_EOF

# engine.node6.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_node6 bash -s <<'SWARM_EOF'
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

# engine.node6.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of node6' docker_api "$NODE6_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.node7.daemon (upload): write the Docker daemon's options
put node7 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${NODE7_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "consul"
  ]
}
SWARM_EOF

# engine.node7.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_node7 bash -s <<'SWARM_EOF'
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

# engine.node7.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of node7' docker_api "$NODE7_PUBLIC_ADDRESS" 2376 GET /_ping

# consul.node1.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put node1 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${NODE2_PRIVATE_ADDRESS}",
    "${NODE3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.node1.config (upload): write the Consul configuration
put node1 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "consul.",
  "node_name": "node1",
  "advertise_addr": "${NODE1_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_NODE1}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.node1.up (compose): bring up the Consul server
put node1 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up node1 consul /etc/consul/docker-compose.yml

# consul.node1.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_node1 bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/swarm/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/swarm && touch /var/lib/swarm/swarm/consul-certificates-loaded
SWARM_EOF

# consul.node1.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_node1 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"node1"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.node2.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put node2 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${NODE1_PRIVATE_ADDRESS}",
    "${NODE3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.node2.config (upload): write the Consul configuration
put node2 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "consul.",
  "node_name": "node2",
  "advertise_addr": "${NODE2_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_NODE2}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.node2.up (compose): bring up the Consul server
put node2 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up node2 consul /etc/consul/docker-compose.yml

# consul.node2.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_node2 bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/swarm/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/swarm && touch /var/lib/swarm/swarm/consul-certificates-loaded
SWARM_EOF

# consul.node2.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_node2 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"node2"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.node3.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put node3 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${NODE1_PRIVATE_ADDRESS}",
    "${NODE2_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.node3.config (upload): write the Consul configuration
put node3 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "consul.",
  "node_name": "node3",
  "advertise_addr": "${NODE3_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_NODE3}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.node3.up (compose): bring up the Consul server
put node3 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up node3 consul /etc/consul/docker-compose.yml

# consul.node3.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_node3 bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/swarm/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/swarm && touch /var/lib/swarm/swarm/consul-certificates-loaded
SWARM_EOF

# consul.node3.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_node3 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"node3"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.node1.leader (wait): wait until the 3 Consul servers have elected a leader (any server may say so)
wait_until 300 'a Consul leader' on_node1 "curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://$NODE1_PRIVATE_ADDRESS:8501/v1/status/leader https://$NODE2_PRIVATE_ADDRESS:8501/v1/status/leader https://$NODE3_PRIVATE_ADDRESS:8501/v1/status/leader | grep -q :"

# consul.node1.acl (consul): set up Consul's ACLs: the default token's policy, the default token, an agent token for each node
consul_acl_policy "$NODE1_PUBLIC_ADDRESS" 8501 swarm-default "$(cat <<'SWARM_EOF'
{
  "Name": "swarm-default",
  "Description": "what a request without a token may do: read the catalog (DNS) and the agents, keep classic Swarm's and the engines' state under docker/",
  "Rules": "node_prefix \"\" { policy = \"read\" }\nservice_prefix \"\" { policy = \"read\" }\nagent_prefix \"\" { policy = \"read\" }\noperator = \"read\"\nkey_prefix \"docker/\" { policy = \"write\" }\nsession_prefix \"\" { policy = \"write\" }\n"
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 fc26a6da-37c2-33d4-948f-1c3f0e896198 "$(cat <<SWARM_EOF
{
  "AccessorID": "fc26a6da-37c2-33d4-948f-1c3f0e896198",
  "SecretID": "${CONSUL_ACL_DEFAULT}",
  "Description": "swarm swarm: requests without a token (DNS, classic Swarm)",
  "Policies": [
    {
      "Name": "swarm-default"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 e176809c-bb4e-36b0-ae39-26962baa77ca "$(cat <<SWARM_EOF
{
  "AccessorID": "e176809c-bb4e-36b0-ae39-26962baa77ca",
  "SecretID": "${CONSUL_ACL_AGENT_NODE1}",
  "Description": "swarm swarm: the Consul agent of node1",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "node1",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 bd4522f9-6cad-3032-bc75-a61b0299d8d7 "$(cat <<SWARM_EOF
{
  "AccessorID": "bd4522f9-6cad-3032-bc75-a61b0299d8d7",
  "SecretID": "${CONSUL_ACL_AGENT_NODE2}",
  "Description": "swarm swarm: the Consul agent of node2",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "node2",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 9392ead5-98b4-355c-959f-f5b548a71150 "$(cat <<SWARM_EOF
{
  "AccessorID": "9392ead5-98b4-355c-959f-f5b548a71150",
  "SecretID": "${CONSUL_ACL_AGENT_NODE3}",
  "Description": "swarm swarm: the Consul agent of node3",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "node3",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 48eae795-472a-356e-8330-616c86052206 "$(cat <<SWARM_EOF
{
  "AccessorID": "48eae795-472a-356e-8330-616c86052206",
  "SecretID": "${CONSUL_ACL_AGENT_NODE4}",
  "Description": "swarm swarm: the Consul agent of node4",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "node4",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 6992dcca-f1cc-31f3-a60f-dcc96ad3407c "$(cat <<SWARM_EOF
{
  "AccessorID": "6992dcca-f1cc-31f3-a60f-dcc96ad3407c",
  "SecretID": "${CONSUL_ACL_AGENT_NODE5}",
  "Description": "swarm swarm: the Consul agent of node5",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "node5",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 9f985a00-624a-3cb3-be46-0faa007bfee2 "$(cat <<SWARM_EOF
{
  "AccessorID": "9f985a00-624a-3cb3-be46-0faa007bfee2",
  "SecretID": "${CONSUL_ACL_AGENT_NODE6}",
  "Description": "swarm swarm: the Consul agent of node6",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "node6",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$NODE1_PUBLIC_ADDRESS" 8501 8920380d-3b25-354b-931d-0d724ad75261 "$(cat <<SWARM_EOF
{
  "AccessorID": "8920380d-3b25-354b-931d-0d724ad75261",
  "SecretID": "${CONSUL_ACL_AGENT_NODE7}",
  "Description": "swarm swarm: the Consul agent of node7",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "node7",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"

# consul.node4.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put node4 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${NODE1_PRIVATE_ADDRESS}",
    "${NODE2_PRIVATE_ADDRESS}",
    "${NODE3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.node4.config (upload): write the Consul configuration
put node4 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "consul.",
  "node_name": "node4",
  "advertise_addr": "${NODE4_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_NODE4}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.node4.up (compose): bring up the Consul agent
put node4 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up node4 consul /etc/consul/docker-compose.yml

# consul.node4.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_node4 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/swarm/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/swarm && touch /var/lib/swarm/swarm/consul-certificates-loaded
SWARM_EOF

# consul.node4.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_node4 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.node5.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put node5 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${NODE1_PRIVATE_ADDRESS}",
    "${NODE2_PRIVATE_ADDRESS}",
    "${NODE3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.node5.config (upload): write the Consul configuration
put node5 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "consul.",
  "node_name": "node5",
  "advertise_addr": "${NODE5_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_NODE5}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.node5.up (compose): bring up the Consul agent
put node5 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up node5 consul /etc/consul/docker-compose.yml

# consul.node5.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_node5 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/swarm/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/swarm && touch /var/lib/swarm/swarm/consul-certificates-loaded
SWARM_EOF

# consul.node5.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_node5 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.node6.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put node6 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${NODE1_PRIVATE_ADDRESS}",
    "${NODE2_PRIVATE_ADDRESS}",
    "${NODE3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.node6.config (upload): write the Consul configuration
put node6 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "consul.",
  "node_name": "node6",
  "advertise_addr": "${NODE6_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_NODE6}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.node6.up (compose): bring up the Consul agent
put node6 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up node6 consul /etc/consul/docker-compose.yml

# consul.node6.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_node6 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/swarm/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/swarm && touch /var/lib/swarm/swarm/consul-certificates-loaded
SWARM_EOF

# consul.node6.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_node6 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.node7.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put node7 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${NODE1_PRIVATE_ADDRESS}",
    "${NODE2_PRIVATE_ADDRESS}",
    "${NODE3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.node7.config (upload): write the Consul configuration
put node7 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "consul.",
  "node_name": "node7",
  "advertise_addr": "${NODE7_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_NODE7}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.node7.up (compose): bring up the Consul agent
put node7 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up node7 consul /etc/consul/docker-compose.yml

# consul.node7.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_node7 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/swarm/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/swarm && touch /var/lib/swarm/swarm/consul-certificates-loaded
SWARM_EOF

# consul.node7.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_node7 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# dns.node1.resolver (upload): point the node's resolver at its Consul agent
put node1 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${NODE1_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search consul
options timeout:2 attempts:2
SWARM_EOF

# dns.node2.resolver (upload): point the node's resolver at its Consul agent
put node2 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${NODE2_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search consul
options timeout:2 attempts:2
SWARM_EOF

# dns.node3.resolver (upload): point the node's resolver at its Consul agent
put node3 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${NODE3_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search consul
options timeout:2 attempts:2
SWARM_EOF

# dns.node4.resolver (upload): point the node's resolver at its Consul agent
put node4 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${NODE4_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search consul
options timeout:2 attempts:2
SWARM_EOF

# dns.node5.resolver (upload): point the node's resolver at its Consul agent
put node5 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${NODE5_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search consul
options timeout:2 attempts:2
SWARM_EOF

# dns.node6.resolver (upload): point the node's resolver at its Consul agent
put node6 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${NODE6_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search consul
options timeout:2 attempts:2
SWARM_EOF

# dns.node7.resolver (upload): point the node's resolver at its Consul agent
put node7 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${NODE7_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search consul
options timeout:2 attempts:2
SWARM_EOF

# swarm.node1.up (compose): bring up the Swarm manager and agent
put node1 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${NODE1_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
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
      - '${NODE1_PRIVATE_ADDRESS}:3376'
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
      - consul://${NODE1_PRIVATE_ADDRESS}:8501
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
      - '${NODE1_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
    command:
      - join
      - --advertise
      - '${NODE1_PRIVATE_ADDRESS}:2376'
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
      - consul://${NODE1_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up node1 swarm /etc/swarm/docker-compose.yml

# swarm.node1.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_node1 bash -s <<'SWARM_EOF'
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

# swarm.node2.up (compose): bring up the Swarm manager and agent
put node2 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${NODE2_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
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
      - '${NODE2_PRIVATE_ADDRESS}:3376'
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
      - consul://${NODE2_PRIVATE_ADDRESS}:8501
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
      - '${NODE2_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
    command:
      - join
      - --advertise
      - '${NODE2_PRIVATE_ADDRESS}:2376'
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
      - consul://${NODE2_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up node2 swarm /etc/swarm/docker-compose.yml

# swarm.node2.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_node2 bash -s <<'SWARM_EOF'
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

# swarm.node3.up (compose): bring up the Swarm manager and agent
put node3 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${NODE3_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
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
      - '${NODE3_PRIVATE_ADDRESS}:3376'
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
      - consul://${NODE3_PRIVATE_ADDRESS}:8501
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
      - '${NODE3_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
    command:
      - join
      - --advertise
      - '${NODE3_PRIVATE_ADDRESS}:2376'
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
      - consul://${NODE3_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up node3 swarm /etc/swarm/docker-compose.yml

# swarm.node3.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_node3 bash -s <<'SWARM_EOF'
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

# swarm.node4.up (compose): bring up the Swarm agent
put node4 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${NODE4_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
    command:
      - join
      - --advertise
      - '${NODE4_PRIVATE_ADDRESS}:2376'
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
      - consul://${NODE4_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up node4 swarm /etc/swarm/docker-compose.yml

# swarm.node4.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_node4 bash -s <<'SWARM_EOF'
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

# swarm.node5.up (compose): bring up the Swarm agent
put node5 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${NODE5_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
    command:
      - join
      - --advertise
      - '${NODE5_PRIVATE_ADDRESS}:2376'
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
      - consul://${NODE5_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up node5 swarm /etc/swarm/docker-compose.yml

# swarm.node5.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_node5 bash -s <<'SWARM_EOF'
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

# swarm.node6.up (compose): bring up the Swarm agent
put node6 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${NODE6_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
    command:
      - join
      - --advertise
      - '${NODE6_PRIVATE_ADDRESS}:2376'
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
      - consul://${NODE6_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up node6 swarm /etc/swarm/docker-compose.yml

# swarm.node6.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_node6 bash -s <<'SWARM_EOF'
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

# swarm.node7.up (compose): bring up the Swarm agent
put node7 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${NODE7_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - consul
    command:
      - join
      - --advertise
      - '${NODE7_PRIVATE_ADDRESS}:2376'
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
      - consul://${NODE7_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up node7 swarm /etc/swarm/docker-compose.yml

# swarm.node7.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_node7 bash -s <<'SWARM_EOF'
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

# verify.node1.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.consul from the node's resolver
on_node1 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 7 ]; then problem="$alive of 7 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.consul >/dev/null; then problem='the resolver does not answer consul.service.consul'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.consul 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.consul'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.node2.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.consul from the node's resolver
on_node2 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 7 ]; then problem="$alive of 7 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.consul >/dev/null; then problem='the resolver does not answer consul.service.consul'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.consul 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.consul'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.node3.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.consul from the node's resolver
on_node3 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 7 ]; then problem="$alive of 7 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.consul >/dev/null; then problem='the resolver does not answer consul.service.consul'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.consul 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.consul'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.node4.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.consul from the node's resolver
on_node4 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 7 ]; then problem="$alive of 7 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.consul >/dev/null; then problem='the resolver does not answer consul.service.consul'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.consul 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.consul'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.node5.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.consul from the node's resolver
on_node5 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 7 ]; then problem="$alive of 7 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.consul >/dev/null; then problem='the resolver does not answer consul.service.consul'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.consul 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.consul'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.node6.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.consul from the node's resolver
on_node6 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 7 ]; then problem="$alive of 7 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.consul >/dev/null; then problem='the resolver does not answer consul.service.consul'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.consul 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.consul'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.node7.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.consul from the node's resolver
on_node7 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 7 ]; then problem="$alive of 7 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 3 ]; then problem="$voters of 3 Consul servers voting in raft"
  elif ! printf '%s' "$self" | grep -q '"encrypted":"true"'; then problem='gossip not encrypted'
  elif ! getent hosts consul.service.consul >/dev/null; then problem='the resolver does not answer consul.service.consul'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.consul 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.consul'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.node1.swarm (docker): expect 7 healthy nodes in classic Swarm, one primary manager and 2 replicas
docker_api "$NODE1_PUBLIC_ADDRESS" 3376 GET /info

echo 'Done: 124 steps on 7 nodes: 49 ssh, 37 upload, 14 compose, 1 docker, 1 consul, 22 wait.'
