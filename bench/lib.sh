# Shared by the bench scripts (sourced, not run): CPU idleness, waiting for a quiet machine,
# medians, and the JVM a launcher runs. The scripts define their own time_exec: each plugin
# is exec'ed differently (namespaces, stdin, environment).

# The percentage of CPU time idle over 0.3 s, from /proc/stat.
idle() {
  read -r _ u n s i w x y z _ < /proc/stat; t1=$((u+n+s+i+w+x+y+z)); i1=$i
  sleep 0.3
  read -r _ u n s i w x y z _ < /proc/stat; t2=$((u+n+s+i+w+x+y+z)); i2=$i
  echo $(( (i2-i1) * 100 / (t2-t1 > 0 ? t2-t1 : 1) ))
}

# Waits (at most 10 more samples, about 3 s) for the CPUs to be >= 85 % idle, and records the
# idleness seen in the caller's array idles.
wait_quiet() {
  local tries=0 pct
  pct=$(idle)
  while [ "$pct" -lt 85 ] && [ $tries -lt 10 ]; do tries=$((tries+1)); pct=$(idle); done
  idles+=("$pct")
}

# The median of the arguments (the mean of the middle two for an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Microseconds as milliseconds with one decimal.
ms() { awk -v us="$1" 'BEGIN {printf "%.1f", us/1000}'; }

# "| VERB | ours ms | ref ms | ratio |" from the arrays named by $2 (ours) and $3 (reference).
row() {
  local name=$1 mo mr; shift
  local -n o=$1 r=$2
  mo=$(median "${o[@]}"); mr=$(median "${r[@]}")
  printf '| %-7s | %8s | %8s | %6.1fx |\n' "$name" "$(ms "$mo")" "$(ms "$mr")" "$(awk -v a="$mo" -v b="$mr" 'BEGIN {print a/b}')"
}

# The java a plugin's in-process path runs: bin/<plugin> is the native launcher, which execs the
# JVM script bin/lib/jvm/<plugin> when no jcnid answers (as in these scripts).
jvm_of() { grep -o 'exec [^ ]*' "$(dirname "$1")/lib/jvm/$(basename "$1")" | cut -c6-; }

# The VERSION/ADD/DEL comparison of one plugin, ours against the reference, through the caller's
# time_exec BIN VERB STDIN: three warm-up VERSIONs each, then RUNS interleaved rounds (each after
# wait_quiet) of VERSION, ADD and DEL with CONF_OURS and CONF_REF. Prints TITLE, the JVM, the
# CPU idleness before the samples and the table of medians.
version_add_del() { # TITLE RUNS OURS REF CONF_OURS CONF_REF
  local title=$1 runs=$2 ours=$3 ref=$4 conf_ours=$5 conf_ref=$6 r
  local -a v_ours=() v_ref=() a_ours=() a_ref=() d_ours=() d_ref=()
  idles=()
  for _ in 1 2 3; do  # warm-up: page cache, first-exec effects
    time_exec "$ours" VERSION '{}' >/dev/null; time_exec "$ref" VERSION '{}' >/dev/null
  done
  for ((r = 0; r < runs; r++)); do
    wait_quiet
    v_ours+=("$(time_exec "$ours" VERSION '{"cniVersion":"1.0.0"}')")
    v_ref+=("$(time_exec "$ref" VERSION '{"cniVersion":"1.0.0"}')")
    a_ours+=("$(time_exec "$ours" ADD "$conf_ours")")
    d_ours+=("$(time_exec "$ours" DEL "$conf_ours")")
    a_ref+=("$(time_exec "$ref" ADD "$conf_ref")")
    d_ref+=("$(time_exec "$ref" DEL "$conf_ref")")
  done
  echo "$title ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)"
  echo "JVM: $(jvm_of "$ours") (no jcnid answers: the in-process path; bench/daemon.sh times the daemon)"
  echo "CPU idle before samples: median $(median "${idles[@]}")%, min $(printf '%s\n' "${idles[@]}" | sort -n | head -1)%"
  echo
  echo "| verb    | ours ms  | ref ms   | ratio  |"
  echo "|---------|---------:|---------:|-------:|"
  row VERSION v_ours v_ref
  row ADD a_ours a_ref
  row DEL d_ours d_ref
}
