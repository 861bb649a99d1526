# netreach chart: connections by distance from home
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d distance-bands.gp
set encoding utf8
set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
set output 'distance-bands.png'
set termoption noenhanced
set datafile separator "\t"
set datafile commentschars ''
set datafile missing ''
set border 3 lw 1 lc rgb '#333333'
set tics nomirror textcolor rgb '#333333'
set style fill solid 1.0 noborder
set key noautotitle
stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), home_country = strcol(3), home_continent = strcol(4), 0) nooutput
set label 101 'Entfernung von '.home at screen 0.5, screen 0.965 center font ',24' textcolor rgb '#000000' noenhanced
set label 102 'Kontakte mit bekanntem Wohnort nach Entfernungsband (161 km = 100 Meilen)' at screen 0.5, screen 0.925 center font ',16' textcolor rgb '#333333' noenhanced
set lmargin at screen 0.09
set rmargin at screen 0.97
set tmargin at screen 0.87
set bmargin at screen 0.12
set xrange [-0.6:4.6]
set yrange [0:45]
set xtics scale 0 font ',16'
set ytics out font ',14'
set ylabel 'Anteil der Kontakte (%)' font ',16'
set xlabel 'Entfernung vom Heimatort' font ',16'
set grid ytics lc rgb '#d9d9d9' lw 1 dt 1
set boxwidth 0.7
plot 'distance-bands.tsv' using 0:2:xticlabels(1) with boxes fc rgb '#2e75b6', \
     '' using 0:2:3 with labels offset 0,1 font ',15' textcolor rgb '#000000' noenhanced
