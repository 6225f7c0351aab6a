# Sourced by scripts/brokers.sh: RabbitMQ on 127.0.0.1:$rabbitmq_port with its data in $data/rabbitmq.
# Everything private: node name, Erlang cookie (its own HOME), distribution and epmd ports, mnesia and log
# directories, no plugins (so no management listener). The user and password are set in the config file (mode 600),
# which RabbitMQ reads when it first creates its database.
if [[ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then install_missing rabbitmq-server rabbitmq-server; fi
install_missing epmd erlang-base
rabbitmq_password=$(password_of rabbitmq)
if ! answers "$rabbitmq_port"; then
  rabbit_dir=$data/rabbitmq
  mkdir -p "$rabbit_dir/home" "$rabbit_dir/mnesia" "$rabbit_dir/log"
  if [[ ! -f "$rabbit_dir/home/.erlang.cookie" ]]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$rabbit_dir/home/.erlang.cookie")
    chmod 400 "$rabbit_dir/home/.erlang.cookie"
  fi
  echo '[].' >"$rabbit_dir/enabled_plugins"
  (umask 077; cat >"$rabbit_dir/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$rabbitmq_port
default_user = eventuali
default_pass = $rabbitmq_password
default_vhost = /
loopback_users = none
max_message_size = 16777216
log.console = false
log.file.level = warning
CONF
  )
  # Called past Debian's wrapper, which would switch to the rabbitmq user and its shared home and cookie.
  (
    cd "$rabbit_dir"
    export HOME=$rabbit_dir/home ERL_EPMD_PORT=$rabbitmq_epmd_port ERL_EPMD_ADDRESS=127.0.0.1
    # No scheduler flags here: RabbitMQ's own defaults already turn busy waiting off (+sbwt none +sbwtdcpu none
    # +sbwtdio none, checked on the running beam.smp) and run one scheduler per core.
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_NODENAME=eventuali-$rabbitmq_port@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT=$rabbitmq_port RABBITMQ_DIST_PORT=$rabbitmq_dist_port
    export RABBITMQ_MNESIA_BASE=$rabbit_dir/mnesia RABBITMQ_LOG_BASE=$rabbit_dir/log
    export RABBITMQ_CONFIG_FILE=$rabbit_dir/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$rabbit_dir/enabled_plugins
    export RABBITMQ_PID_FILE=$data/rabbitmq.pid RABBITMQ_CONF_ENV_FILE=$rabbit_dir/rabbitmq-env.conf
    : >"$rabbit_dir/rabbitmq-env.conf"
    rm -f "$data/rabbitmq.pid"
    setsid /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >"$data/rabbitmq.log" 2>&1 &
  )
  # The node boots in 5-15 s here; bounded so a broken install fails the run instead of hanging it.
  wait_for rabbitmq "$rabbitmq_port" 120
  for _ in $(seq 1 50); do [[ -s "$data/rabbitmq.pid" ]] && break; sleep 0.1; done
fi
