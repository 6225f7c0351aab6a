# Shared by scripts/bench.sh and scripts/compare-marten.sh.
# median: the median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# field NAME: the numeric value of "NAME" in each JSON line on stdin.
field() { sed -E "s/.*\"$1\":([0-9.eE+-]+).*/\\1/"; }
# with_schema URL SCHEMA: the URL with ?schema= (or &schema=) appended.
with_schema() { if [[ $1 == *\?* ]]; then echo "$1&schema=$2"; else echo "$1?schema=$2"; fi; }
