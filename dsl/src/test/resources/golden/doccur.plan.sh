#!/usr/bin/env bash
# Cluster doccur: the plan of `swarm plan --format sh`, as a script.
# It runs the steps of `swarm apply` one after the other, with ssh, curl, openssl and jq.
# Plan: 134 steps on 7 nodes: 3 provision, 49 ssh, 37 upload, 14 compose, 1 docker, 1 consul, 29 wait.
# No secret is written here: they are read from the environment or files when it runs.
set -euo pipefail

CLUSTER=doccur
STATE=.swarm/doccur
mkdir -p "$STATE" && chmod 700 "$STATE"
SSH_HOST_KEYS=accept-new
SSH_JUMP=

PROVIDER_TOKEN="${DIGITALOCEAN_ACCESS_TOKEN:?set DIGITALOCEAN_ACCESS_TOKEN to the DigitalOcean API token}"
[ -s "$STATE/consul-encrypt.key" ] || (umask 077 && head -c 32 /dev/urandom | base64 > "$STATE/consul-encrypt.key")
CONSUL_ENCRYPT="$(cat "$STATE/consul-encrypt.key")"
[ -s "$STATE/consul-acl-management.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-management.key")
CONSUL_ACL_MANAGEMENT="$(cat "$STATE/consul-acl-management.key")"
[ -s "$STATE/consul-acl-default.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-default.key")
CONSUL_ACL_DEFAULT="$(cat "$STATE/consul-acl-default.key")"
[ -s "$STATE/consul-acl-agent-doccur1.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-doccur1.key")
CONSUL_ACL_AGENT_DOCCUR1="$(cat "$STATE/consul-acl-agent-doccur1.key")"
[ -s "$STATE/consul-acl-agent-doccur2.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-doccur2.key")
CONSUL_ACL_AGENT_DOCCUR2="$(cat "$STATE/consul-acl-agent-doccur2.key")"
[ -s "$STATE/consul-acl-agent-doccur3.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-doccur3.key")
CONSUL_ACL_AGENT_DOCCUR3="$(cat "$STATE/consul-acl-agent-doccur3.key")"
[ -s "$STATE/consul-acl-agent-doccur4.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-doccur4.key")
CONSUL_ACL_AGENT_DOCCUR4="$(cat "$STATE/consul-acl-agent-doccur4.key")"
[ -s "$STATE/consul-acl-agent-doccur5.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-doccur5.key")
CONSUL_ACL_AGENT_DOCCUR5="$(cat "$STATE/consul-acl-agent-doccur5.key")"
[ -s "$STATE/consul-acl-agent-doccur6.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-doccur6.key")
CONSUL_ACL_AGENT_DOCCUR6="$(cat "$STATE/consul-acl-agent-doccur6.key")"
[ -s "$STATE/consul-acl-agent-doccur7.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-doccur7.key")
CONSUL_ACL_AGENT_DOCCUR7="$(cat "$STATE/consul-acl-agent-doccur7.key")"


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
on_doccur1() { on root "$DOCCUR1_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_doccur2() { on root "$DOCCUR2_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_doccur3() { on root "$DOCCUR3_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_doccur4() { on root "$DOCCUR4_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_doccur5() { on root "$DOCCUR5_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_doccur6() { on root "$DOCCUR6_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_doccur7() { on root "$DOCCUR7_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }

# provision.ssh-key (provision): register the cluster's SSH key with DigitalOcean, or reuse it by fingerprint
PROVIDER_SSH_KEY_ID=$(do_ssh_key swarm-doccur ~/.ssh/id_rsa.pub)

# provision.droplets-masters (provision): create droplets doccur1 doccur2 doccur3 (or adopt those already tagged swarm:doccur)
do_droplets doccur1,doccur2,doccur3 sfo1 512mb ubuntu-15-10-x64 swarm:doccur,swarm:doccur:master false

# provision.droplets-agents (provision): create droplets doccur4 doccur5 doccur6 doccur7 (or adopt those already tagged swarm:doccur)
do_droplets doccur4,doccur5,doccur6,doccur7 sfo1 512mb ubuntu-15-10-x64 swarm:doccur,swarm:doccur:agent false

# provision.doccur1.active (wait): wait until droplet doccur1 is active and read its addresses
wait_until 300 'droplet doccur1 active' do_active doccur1
DOCCUR1_PUBLIC_ADDRESS=$(do_address doccur1 public) DOCCUR1_PRIVATE_ADDRESS=$(do_address doccur1 private)

# provision.doccur2.active (wait): wait until droplet doccur2 is active and read its addresses
wait_until 300 'droplet doccur2 active' do_active doccur2
DOCCUR2_PUBLIC_ADDRESS=$(do_address doccur2 public) DOCCUR2_PRIVATE_ADDRESS=$(do_address doccur2 private)

# provision.doccur3.active (wait): wait until droplet doccur3 is active and read its addresses
wait_until 300 'droplet doccur3 active' do_active doccur3
DOCCUR3_PUBLIC_ADDRESS=$(do_address doccur3 public) DOCCUR3_PRIVATE_ADDRESS=$(do_address doccur3 private)

# provision.doccur4.active (wait): wait until droplet doccur4 is active and read its addresses
wait_until 300 'droplet doccur4 active' do_active doccur4
DOCCUR4_PUBLIC_ADDRESS=$(do_address doccur4 public) DOCCUR4_PRIVATE_ADDRESS=$(do_address doccur4 private)

# provision.doccur5.active (wait): wait until droplet doccur5 is active and read its addresses
wait_until 300 'droplet doccur5 active' do_active doccur5
DOCCUR5_PUBLIC_ADDRESS=$(do_address doccur5 public) DOCCUR5_PRIVATE_ADDRESS=$(do_address doccur5 private)

# provision.doccur6.active (wait): wait until droplet doccur6 is active and read its addresses
wait_until 300 'droplet doccur6 active' do_active doccur6
DOCCUR6_PUBLIC_ADDRESS=$(do_address doccur6 public) DOCCUR6_PRIVATE_ADDRESS=$(do_address doccur6 private)

# provision.doccur7.active (wait): wait until droplet doccur7 is active and read its addresses
wait_until 300 'droplet doccur7 active' do_active doccur7
DOCCUR7_PUBLIC_ADDRESS=$(do_address doccur7 public) DOCCUR7_PRIVATE_ADDRESS=$(do_address doccur7 private)

# provision.doccur1.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on doccur1' on_doccur1 true

# provision.doccur1.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_doccur1 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/doccur/originals
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

# provision.doccur2.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on doccur2' on_doccur2 true

# provision.doccur2.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_doccur2 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/doccur/originals
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

# provision.doccur3.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on doccur3' on_doccur3 true

# provision.doccur3.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_doccur3 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/doccur/originals
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

# provision.doccur4.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on doccur4' on_doccur4 true

# provision.doccur4.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_doccur4 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/doccur/originals
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

# provision.doccur5.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on doccur5' on_doccur5 true

# provision.doccur5.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_doccur5 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/doccur/originals
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

# provision.doccur6.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on doccur6' on_doccur6 true

# provision.doccur6.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_doccur6 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/doccur/originals
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

# provision.doccur7.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on doccur7' on_doccur7 true

# provision.doccur7.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_doccur7 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/doccur/originals
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

# prepare.doccur1.hostname (ssh): set the hostname to doccur1
on_doccur1 bash -s <<'SWARM_EOF'
hostname doccur1 && echo doccur1 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 doccur1.node.example.com doccur1/' /etc/hosts || echo '127.0.1.1 doccur1.node.example.com doccur1' >> /etc/hosts; }
SWARM_EOF

# prepare.doccur1.docker (ssh): install Docker and Compose if absent
on_doccur1 bash -s <<'SWARM_EOF'
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

# prepare.doccur2.hostname (ssh): set the hostname to doccur2
on_doccur2 bash -s <<'SWARM_EOF'
hostname doccur2 && echo doccur2 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 doccur2.node.example.com doccur2/' /etc/hosts || echo '127.0.1.1 doccur2.node.example.com doccur2' >> /etc/hosts; }
SWARM_EOF

# prepare.doccur2.docker (ssh): install Docker and Compose if absent
on_doccur2 bash -s <<'SWARM_EOF'
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

# prepare.doccur3.hostname (ssh): set the hostname to doccur3
on_doccur3 bash -s <<'SWARM_EOF'
hostname doccur3 && echo doccur3 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 doccur3.node.example.com doccur3/' /etc/hosts || echo '127.0.1.1 doccur3.node.example.com doccur3' >> /etc/hosts; }
SWARM_EOF

# prepare.doccur3.docker (ssh): install Docker and Compose if absent
on_doccur3 bash -s <<'SWARM_EOF'
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

# prepare.doccur4.hostname (ssh): set the hostname to doccur4
on_doccur4 bash -s <<'SWARM_EOF'
hostname doccur4 && echo doccur4 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 doccur4.node.example.com doccur4/' /etc/hosts || echo '127.0.1.1 doccur4.node.example.com doccur4' >> /etc/hosts; }
SWARM_EOF

# prepare.doccur4.docker (ssh): install Docker and Compose if absent
on_doccur4 bash -s <<'SWARM_EOF'
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

# prepare.doccur5.hostname (ssh): set the hostname to doccur5
on_doccur5 bash -s <<'SWARM_EOF'
hostname doccur5 && echo doccur5 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 doccur5.node.example.com doccur5/' /etc/hosts || echo '127.0.1.1 doccur5.node.example.com doccur5' >> /etc/hosts; }
SWARM_EOF

# prepare.doccur5.docker (ssh): install Docker and Compose if absent
on_doccur5 bash -s <<'SWARM_EOF'
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

# prepare.doccur6.hostname (ssh): set the hostname to doccur6
on_doccur6 bash -s <<'SWARM_EOF'
hostname doccur6 && echo doccur6 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 doccur6.node.example.com doccur6/' /etc/hosts || echo '127.0.1.1 doccur6.node.example.com doccur6' >> /etc/hosts; }
SWARM_EOF

# prepare.doccur6.docker (ssh): install Docker and Compose if absent
on_doccur6 bash -s <<'SWARM_EOF'
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

# prepare.doccur7.hostname (ssh): set the hostname to doccur7
on_doccur7 bash -s <<'SWARM_EOF'
hostname doccur7 && echo doccur7 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 doccur7.node.example.com doccur7/' /etc/hosts || echo '127.0.1.1 doccur7.node.example.com doccur7' >> /etc/hosts; }
SWARM_EOF

# prepare.doccur7.docker (ssh): install Docker and Compose if absent
on_doccur7 bash -s <<'SWARM_EOF'
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

# pki.ca (upload): create the cluster's certificate authority (or reuse the one in .swarm/doccur/)
make_ca

# pki.client (upload): issue the client certificate for docker, swarm and the executor
make_client_cert

# pki.doccur1.certs (upload): install the node's TLS files (server and client usage)
put doccur1 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert doccur1 "DNS:doccur1,DNS:doccur1.node.example.com,DNS:localhost,DNS:server.sfo1.example.com,IP:$DOCCUR1_PRIVATE_ADDRESS,IP:$DOCCUR1_PUBLIC_ADDRESS,IP:127.0.0.1"
put doccur1 /etc/docker/server.pem 0644 < "$STATE/doccur1/server.pem"
put doccur1 /etc/docker/server-key.pem 0600 < "$STATE/doccur1/server-key.pem"

# pki.doccur2.certs (upload): install the node's TLS files (server and client usage)
put doccur2 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert doccur2 "DNS:doccur2,DNS:doccur2.node.example.com,DNS:localhost,DNS:server.sfo1.example.com,IP:$DOCCUR2_PRIVATE_ADDRESS,IP:$DOCCUR2_PUBLIC_ADDRESS,IP:127.0.0.1"
put doccur2 /etc/docker/server.pem 0644 < "$STATE/doccur2/server.pem"
put doccur2 /etc/docker/server-key.pem 0600 < "$STATE/doccur2/server-key.pem"

# pki.doccur3.certs (upload): install the node's TLS files (server and client usage)
put doccur3 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert doccur3 "DNS:doccur3,DNS:doccur3.node.example.com,DNS:localhost,DNS:server.sfo1.example.com,IP:$DOCCUR3_PRIVATE_ADDRESS,IP:$DOCCUR3_PUBLIC_ADDRESS,IP:127.0.0.1"
put doccur3 /etc/docker/server.pem 0644 < "$STATE/doccur3/server.pem"
put doccur3 /etc/docker/server-key.pem 0600 < "$STATE/doccur3/server-key.pem"

# pki.doccur4.certs (upload): install the node's TLS files (server and client usage)
put doccur4 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert doccur4 "DNS:doccur4,DNS:doccur4.node.example.com,DNS:localhost,IP:$DOCCUR4_PRIVATE_ADDRESS,IP:$DOCCUR4_PUBLIC_ADDRESS,IP:127.0.0.1"
put doccur4 /etc/docker/server.pem 0644 < "$STATE/doccur4/server.pem"
put doccur4 /etc/docker/server-key.pem 0600 < "$STATE/doccur4/server-key.pem"

# pki.doccur5.certs (upload): install the node's TLS files (server and client usage)
put doccur5 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert doccur5 "DNS:doccur5,DNS:doccur5.node.example.com,DNS:localhost,IP:$DOCCUR5_PRIVATE_ADDRESS,IP:$DOCCUR5_PUBLIC_ADDRESS,IP:127.0.0.1"
put doccur5 /etc/docker/server.pem 0644 < "$STATE/doccur5/server.pem"
put doccur5 /etc/docker/server-key.pem 0600 < "$STATE/doccur5/server-key.pem"

# pki.doccur6.certs (upload): install the node's TLS files (server and client usage)
put doccur6 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert doccur6 "DNS:doccur6,DNS:doccur6.node.example.com,DNS:localhost,IP:$DOCCUR6_PRIVATE_ADDRESS,IP:$DOCCUR6_PUBLIC_ADDRESS,IP:127.0.0.1"
put doccur6 /etc/docker/server.pem 0644 < "$STATE/doccur6/server.pem"
put doccur6 /etc/docker/server-key.pem 0600 < "$STATE/doccur6/server-key.pem"

# pki.doccur7.certs (upload): install the node's TLS files (server and client usage)
put doccur7 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert doccur7 "DNS:doccur7,DNS:doccur7.node.example.com,DNS:localhost,IP:$DOCCUR7_PRIVATE_ADDRESS,IP:$DOCCUR7_PUBLIC_ADDRESS,IP:127.0.0.1"
put doccur7 /etc/docker/server.pem 0644 < "$STATE/doccur7/server.pem"
put doccur7 /etc/docker/server-key.pem 0600 < "$STATE/doccur7/server-key.pem"

# engine.doccur1.daemon (upload): write the Docker daemon's options
put doccur1 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${DOCCUR1_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "example.com"
  ]
}
SWARM_EOF

# engine.doccur1.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_doccur1 bash -s <<'SWARM_EOF'
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

# engine.doccur1.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of doccur1' docker_api "$DOCCUR1_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.doccur2.daemon (upload): write the Docker daemon's options
put doccur2 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${DOCCUR2_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "example.com"
  ]
}
SWARM_EOF

# engine.doccur2.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_doccur2 bash -s <<'SWARM_EOF'
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

# engine.doccur2.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of doccur2' docker_api "$DOCCUR2_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.doccur3.daemon (upload): write the Docker daemon's options
put doccur3 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${DOCCUR3_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "example.com"
  ]
}
SWARM_EOF

# engine.doccur3.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10); if its Consul server ran, wait until it is back with a leader
on_doccur3 bash -s <<'SWARM_EOF'
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

# engine.doccur3.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of doccur3' docker_api "$DOCCUR3_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.doccur4.daemon (upload): write the Docker daemon's options
put doccur4 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${DOCCUR4_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "example.com"
  ]
}
SWARM_EOF

# engine.doccur4.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_doccur4 bash -s <<'SWARM_EOF'
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

# engine.doccur4.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of doccur4' docker_api "$DOCCUR4_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.doccur5.daemon (upload): write the Docker daemon's options
put doccur5 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${DOCCUR5_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "example.com"
  ]
}
SWARM_EOF

# engine.doccur5.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_doccur5 bash -s <<'SWARM_EOF'
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

# engine.doccur5.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of doccur5' docker_api "$DOCCUR5_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.doccur6.daemon (upload): write the Docker daemon's options
put doccur6 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${DOCCUR6_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "example.com"
  ]
}
SWARM_EOF

# engine.doccur6.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_doccur6 bash -s <<'SWARM_EOF'
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

# engine.doccur6.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of doccur6' docker_api "$DOCCUR6_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.doccur7.daemon (upload): write the Docker daemon's options
put doccur7 /etc/docker/daemon.json 0644 <<SWARM_EOF
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
    "max-file": "10",
    "max-size": "10m"
  },
  "live-restore": true,
  "dns": [
    "${DOCCUR7_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "example.com"
  ]
}
SWARM_EOF

# engine.doccur7.restart (ssh): restart the Docker daemon through the node's service manager (cluster-store in Consul if the engine is older than Docker 20.10)
on_doccur7 bash -s <<'SWARM_EOF'
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

# engine.doccur7.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of doccur7' docker_api "$DOCCUR7_PUBLIC_ADDRESS" 2376 GET /_ping

# consul.doccur1.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put doccur1 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${DOCCUR2_PRIVATE_ADDRESS}",
    "${DOCCUR3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.doccur1.config (upload): write the Consul configuration
put doccur1 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "sfo1",
  "domain": "example.com.",
  "node_name": "doccur1",
  "advertise_addr": "${DOCCUR1_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "sfo1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_DOCCUR1}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.doccur1.up (compose): bring up the Consul server
put doccur1 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up doccur1 consul /etc/consul/docker-compose.yml

# consul.doccur1.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_doccur1 bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/doccur/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/doccur && touch /var/lib/swarm/doccur/consul-certificates-loaded
SWARM_EOF

# consul.doccur1.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_doccur1 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"doccur1"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.doccur2.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put doccur2 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${DOCCUR1_PRIVATE_ADDRESS}",
    "${DOCCUR3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.doccur2.config (upload): write the Consul configuration
put doccur2 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "sfo1",
  "domain": "example.com.",
  "node_name": "doccur2",
  "advertise_addr": "${DOCCUR2_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "sfo1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_DOCCUR2}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.doccur2.up (compose): bring up the Consul server
put doccur2 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up doccur2 consul /etc/consul/docker-compose.yml

# consul.doccur2.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_doccur2 bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/doccur/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/doccur && touch /var/lib/swarm/doccur/consul-certificates-loaded
SWARM_EOF

# consul.doccur2.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_doccur2 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"doccur2"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.doccur3.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put doccur3 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "bootstrap_expect": 3,
  "retry_join": [
    "${DOCCUR1_PRIVATE_ADDRESS}",
    "${DOCCUR2_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.doccur3.config (upload): write the Consul configuration
put doccur3 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "sfo1",
  "domain": "example.com.",
  "node_name": "doccur3",
  "advertise_addr": "${DOCCUR3_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "sfo1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_DOCCUR3}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.doccur3.up (compose): bring up the Consul server
put doccur3 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up doccur3 consul /etc/consul/docker-compose.yml

# consul.doccur3.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_doccur3 bash -s <<'SWARM_EOF'
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
loaded=$(newest /var/lib/swarm/doccur/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/doccur && touch /var/lib/swarm/doccur/consul-certificates-loaded
SWARM_EOF

# consul.doccur3.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_doccur3 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"doccur3"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.doccur1.leader (wait): wait until the 3 Consul servers have elected a leader (any server may say so)
wait_until 300 'a Consul leader' on_doccur1 "curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://$DOCCUR1_PRIVATE_ADDRESS:8501/v1/status/leader https://$DOCCUR2_PRIVATE_ADDRESS:8501/v1/status/leader https://$DOCCUR3_PRIVATE_ADDRESS:8501/v1/status/leader | grep -q :"

# consul.doccur1.acl (consul): set up Consul's ACLs: the default token's policy, the default token, an agent token for each node
consul_acl_policy "$DOCCUR1_PUBLIC_ADDRESS" 8501 swarm-default "$(cat <<'SWARM_EOF'
{
  "Name": "swarm-default",
  "Description": "what a request without a token may do: read the catalog (DNS) and the agents, keep classic Swarm's and the engines' state under docker/",
  "Rules": "node_prefix \"\" { policy = \"read\" }\nservice_prefix \"\" { policy = \"read\" }\nagent_prefix \"\" { policy = \"read\" }\noperator = \"read\"\nkey_prefix \"docker/\" { policy = \"write\" }\nsession_prefix \"\" { policy = \"write\" }\n"
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 47a25799-b4f9-3f7b-902d-b39ac39eb029 "$(cat <<SWARM_EOF
{
  "AccessorID": "47a25799-b4f9-3f7b-902d-b39ac39eb029",
  "SecretID": "${CONSUL_ACL_DEFAULT}",
  "Description": "swarm doccur: requests without a token (DNS, classic Swarm)",
  "Policies": [
    {
      "Name": "swarm-default"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 b2eba115-701a-32aa-8cd2-af202cfd1fa8 "$(cat <<SWARM_EOF
{
  "AccessorID": "b2eba115-701a-32aa-8cd2-af202cfd1fa8",
  "SecretID": "${CONSUL_ACL_AGENT_DOCCUR1}",
  "Description": "swarm doccur: the Consul agent of doccur1",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "doccur1",
      "Datacenter": "sfo1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 9652ef7a-69c2-3f87-a66b-2e84e7b5dc4f "$(cat <<SWARM_EOF
{
  "AccessorID": "9652ef7a-69c2-3f87-a66b-2e84e7b5dc4f",
  "SecretID": "${CONSUL_ACL_AGENT_DOCCUR2}",
  "Description": "swarm doccur: the Consul agent of doccur2",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "doccur2",
      "Datacenter": "sfo1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 9b9c9a18-ee9c-3a0b-9fba-a0416689c936 "$(cat <<SWARM_EOF
{
  "AccessorID": "9b9c9a18-ee9c-3a0b-9fba-a0416689c936",
  "SecretID": "${CONSUL_ACL_AGENT_DOCCUR3}",
  "Description": "swarm doccur: the Consul agent of doccur3",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "doccur3",
      "Datacenter": "sfo1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 e2101666-2d37-361e-8ab6-323148ce14a3 "$(cat <<SWARM_EOF
{
  "AccessorID": "e2101666-2d37-361e-8ab6-323148ce14a3",
  "SecretID": "${CONSUL_ACL_AGENT_DOCCUR4}",
  "Description": "swarm doccur: the Consul agent of doccur4",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "doccur4",
      "Datacenter": "sfo1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 98184b82-482f-3072-8543-c700d0e623b5 "$(cat <<SWARM_EOF
{
  "AccessorID": "98184b82-482f-3072-8543-c700d0e623b5",
  "SecretID": "${CONSUL_ACL_AGENT_DOCCUR5}",
  "Description": "swarm doccur: the Consul agent of doccur5",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "doccur5",
      "Datacenter": "sfo1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 6b52dc06-9b1f-350b-b71d-4cdb50608539 "$(cat <<SWARM_EOF
{
  "AccessorID": "6b52dc06-9b1f-350b-b71d-4cdb50608539",
  "SecretID": "${CONSUL_ACL_AGENT_DOCCUR6}",
  "Description": "swarm doccur: the Consul agent of doccur6",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "doccur6",
      "Datacenter": "sfo1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$DOCCUR1_PUBLIC_ADDRESS" 8501 7a23455c-3ff9-313a-9333-29f15cf1610a "$(cat <<SWARM_EOF
{
  "AccessorID": "7a23455c-3ff9-313a-9333-29f15cf1610a",
  "SecretID": "${CONSUL_ACL_AGENT_DOCCUR7}",
  "Description": "swarm doccur: the Consul agent of doccur7",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "doccur7",
      "Datacenter": "sfo1"
    }
  ]
}
SWARM_EOF
)"

# consul.doccur4.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put doccur4 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${DOCCUR1_PRIVATE_ADDRESS}",
    "${DOCCUR2_PRIVATE_ADDRESS}",
    "${DOCCUR3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.doccur4.config (upload): write the Consul configuration
put doccur4 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "sfo1",
  "domain": "example.com.",
  "node_name": "doccur4",
  "advertise_addr": "${DOCCUR4_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "sfo1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_DOCCUR4}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.doccur4.up (compose): bring up the Consul agent
put doccur4 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up doccur4 consul /etc/consul/docker-compose.yml

# consul.doccur4.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_doccur4 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/doccur/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/doccur && touch /var/lib/swarm/doccur/consul-certificates-loaded
SWARM_EOF

# consul.doccur4.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_doccur4 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.doccur5.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put doccur5 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${DOCCUR1_PRIVATE_ADDRESS}",
    "${DOCCUR2_PRIVATE_ADDRESS}",
    "${DOCCUR3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.doccur5.config (upload): write the Consul configuration
put doccur5 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "sfo1",
  "domain": "example.com.",
  "node_name": "doccur5",
  "advertise_addr": "${DOCCUR5_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "sfo1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_DOCCUR5}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.doccur5.up (compose): bring up the Consul agent
put doccur5 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up doccur5 consul /etc/consul/docker-compose.yml

# consul.doccur5.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_doccur5 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/doccur/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/doccur && touch /var/lib/swarm/doccur/consul-certificates-loaded
SWARM_EOF

# consul.doccur5.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_doccur5 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.doccur6.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put doccur6 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${DOCCUR1_PRIVATE_ADDRESS}",
    "${DOCCUR2_PRIVATE_ADDRESS}",
    "${DOCCUR3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.doccur6.config (upload): write the Consul configuration
put doccur6 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "sfo1",
  "domain": "example.com.",
  "node_name": "doccur6",
  "advertise_addr": "${DOCCUR6_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "sfo1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_DOCCUR6}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.doccur6.up (compose): bring up the Consul agent
put doccur6 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up doccur6 consul /etc/consul/docker-compose.yml

# consul.doccur6.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_doccur6 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/doccur/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/doccur && touch /var/lib/swarm/doccur/consul-certificates-loaded
SWARM_EOF

# consul.doccur6.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_doccur6 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.doccur7.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put doccur7 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${DOCCUR1_PRIVATE_ADDRESS}",
    "${DOCCUR2_PRIVATE_ADDRESS}",
    "${DOCCUR3_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.doccur7.config (upload): write the Consul configuration
put doccur7 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "sfo1",
  "domain": "example.com.",
  "node_name": "doccur7",
  "advertise_addr": "${DOCCUR7_PRIVATE_ADDRESS}",
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
  "primary_datacenter": "sfo1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_DOCCUR7}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.doccur7.up (compose): bring up the Consul agent
put doccur7 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
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
compose_up doccur7 consul /etc/consul/docker-compose.yml

# consul.doccur7.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_doccur7 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/doccur/consul-certificates-loaded)
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
mkdir -p /var/lib/swarm/doccur && touch /var/lib/swarm/doccur/consul-certificates-loaded
SWARM_EOF

# consul.doccur7.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_doccur7 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# dns.doccur1.resolver (upload): point the node's resolver at its Consul agent
put doccur1 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${DOCCUR1_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.doccur2.resolver (upload): point the node's resolver at its Consul agent
put doccur2 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${DOCCUR2_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.doccur3.resolver (upload): point the node's resolver at its Consul agent
put doccur3 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${DOCCUR3_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.doccur4.resolver (upload): point the node's resolver at its Consul agent
put doccur4 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${DOCCUR4_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.doccur5.resolver (upload): point the node's resolver at its Consul agent
put doccur5 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${DOCCUR5_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.doccur6.resolver (upload): point the node's resolver at its Consul agent
put doccur6 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${DOCCUR6_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.doccur7.resolver (upload): point the node's resolver at its Consul agent
put doccur7 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${DOCCUR7_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search example.com
options timeout:2 attempts:2
SWARM_EOF

# swarm.doccur1.up (compose): bring up the Swarm manager and agent
put doccur1 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${DOCCUR1_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
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
      - '${DOCCUR1_PRIVATE_ADDRESS}:3376'
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
      - consul://${DOCCUR1_PRIVATE_ADDRESS}:8501
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
      - '${DOCCUR1_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
    command:
      - join
      - --advertise
      - '${DOCCUR1_PRIVATE_ADDRESS}:2376'
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
      - consul://${DOCCUR1_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up doccur1 swarm /etc/swarm/docker-compose.yml

# swarm.doccur1.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_doccur1 bash -s <<'SWARM_EOF'
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

# swarm.doccur2.up (compose): bring up the Swarm manager and agent
put doccur2 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${DOCCUR2_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
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
      - '${DOCCUR2_PRIVATE_ADDRESS}:3376'
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
      - consul://${DOCCUR2_PRIVATE_ADDRESS}:8501
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
      - '${DOCCUR2_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
    command:
      - join
      - --advertise
      - '${DOCCUR2_PRIVATE_ADDRESS}:2376'
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
      - consul://${DOCCUR2_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up doccur2 swarm /etc/swarm/docker-compose.yml

# swarm.doccur2.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_doccur2 bash -s <<'SWARM_EOF'
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

# swarm.doccur3.up (compose): bring up the Swarm manager and agent
put doccur3 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${DOCCUR3_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
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
      - '${DOCCUR3_PRIVATE_ADDRESS}:3376'
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
      - consul://${DOCCUR3_PRIVATE_ADDRESS}:8501
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
      - '${DOCCUR3_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
    command:
      - join
      - --advertise
      - '${DOCCUR3_PRIVATE_ADDRESS}:2376'
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
      - consul://${DOCCUR3_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-master-data: {}
  swarm-agent-data: {}
SWARM_EOF
compose_up doccur3 swarm /etc/swarm/docker-compose.yml

# swarm.doccur3.restart (ssh): restart the Swarm manager and agent if the node's certificates are newer than their containers, then wait until the manager answers
on_doccur3 bash -s <<'SWARM_EOF'
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

# swarm.doccur4.up (compose): bring up the Swarm agent
put doccur4 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${DOCCUR4_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
    command:
      - join
      - --advertise
      - '${DOCCUR4_PRIVATE_ADDRESS}:2376'
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
      - consul://${DOCCUR4_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up doccur4 swarm /etc/swarm/docker-compose.yml

# swarm.doccur4.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_doccur4 bash -s <<'SWARM_EOF'
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

# swarm.doccur5.up (compose): bring up the Swarm agent
put doccur5 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${DOCCUR5_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
    command:
      - join
      - --advertise
      - '${DOCCUR5_PRIVATE_ADDRESS}:2376'
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
      - consul://${DOCCUR5_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up doccur5 swarm /etc/swarm/docker-compose.yml

# swarm.doccur5.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_doccur5 bash -s <<'SWARM_EOF'
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

# swarm.doccur6.up (compose): bring up the Swarm agent
put doccur6 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${DOCCUR6_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
    command:
      - join
      - --advertise
      - '${DOCCUR6_PRIVATE_ADDRESS}:2376'
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
      - consul://${DOCCUR6_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up doccur6 swarm /etc/swarm/docker-compose.yml

# swarm.doccur6.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_doccur6 bash -s <<'SWARM_EOF'
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

# swarm.doccur7.up (compose): bring up the Swarm agent
put doccur7 /etc/swarm/docker-compose.yml 0644 <<SWARM_EOF
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
      - '${DOCCUR7_PRIVATE_ADDRESS}'
      - 8.8.8.8
      - 8.8.4.4
    dns_search:
      - example.com
    command:
      - join
      - --advertise
      - '${DOCCUR7_PRIVATE_ADDRESS}:2376'
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
      - consul://${DOCCUR7_PRIVATE_ADDRESS}:8501
volumes:
  swarm-agent-data: {}
SWARM_EOF
compose_up doccur7 swarm /etc/swarm/docker-compose.yml

# swarm.doccur7.restart (ssh): restart the Swarm agent if the node's certificates are newer than their containers
on_doccur7 bash -s <<'SWARM_EOF'
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

# verify.doccur1.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.example.com from the node's resolver
on_doccur1 bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.example.com >/dev/null; then problem='the resolver does not answer consul.service.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.doccur2.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.example.com from the node's resolver
on_doccur2 bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.example.com >/dev/null; then problem='the resolver does not answer consul.service.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.doccur3.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.example.com from the node's resolver
on_doccur3 bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.example.com >/dev/null; then problem='the resolver does not answer consul.service.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.doccur4.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.example.com from the node's resolver
on_doccur4 bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.example.com >/dev/null; then problem='the resolver does not answer consul.service.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.doccur5.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.example.com from the node's resolver
on_doccur5 bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.example.com >/dev/null; then problem='the resolver does not answer consul.service.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.doccur6.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.example.com from the node's resolver
on_doccur6 bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.example.com >/dev/null; then problem='the resolver does not answer consul.service.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.doccur7.consul (ssh): expect 7 Consul members alive, a leader, 3 voting servers, gossip encrypted, and A and SRV records of consul.service.example.com from the node's resolver
on_doccur7 bash -s <<'SWARM_EOF'
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
  elif ! getent hosts consul.service.example.com >/dev/null; then problem='the resolver does not answer consul.service.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.example.com 2>/dev/null | grep -c 'service = ')" -ne 3 ]; then problem='the resolver does not answer the 3 SRV records of consul.service.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.doccur1.swarm (docker): expect 7 healthy nodes in classic Swarm, one primary manager and 2 replicas
docker_api "$DOCCUR1_PUBLIC_ADDRESS" 3376 GET /info

echo 'Done: 134 steps on 7 nodes: 3 provision, 49 ssh, 37 upload, 14 compose, 1 docker, 1 consul, 29 wait.'
