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
