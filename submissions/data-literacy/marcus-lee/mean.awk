# Mean of the hours column.
BEGIN { FS = "," }
NR > 1 { sum += $3 }
END { printf "%.2f\n", sum / (NR - 1) }
