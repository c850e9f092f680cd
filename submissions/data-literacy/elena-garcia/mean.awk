# Prints the mean of the "hours" column of a CSV file with a header row, to two decimals.
# Students run it with:  awk -f mean.awk survey.csv
BEGIN { FS = "," }
NR == 1 { for (i = 1; i <= NF; i++) if ($i == "hours") column = i; next }
NF > 0 { sum += $column; count++ }
END { if (count > 0) printf "%.2f\n", sum / count; else print "no data" }
