# netreach chart: Die häufigsten Länder
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d countries.gp
set encoding utf8
set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
set output 'countries.png'
set termoption noenhanced
set datafile separator "\t"
set datafile commentschars ''
set datafile missing ''
set border 3 lw 1 lc rgb '#333333'
set tics nomirror textcolor rgb '#333333'
set style fill solid 1.0 noborder
set key noautotitle
stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), home_country = strcol(3), home_continent = strcol(4), 0) nooutput
set label 101 'Die häufigsten Länder' at screen 0.5, screen 0.965 center font ',24' textcolor rgb '#000000' noenhanced
set label 102 'Länder mit den meisten Kontakten (die ersten 15)' at screen 0.5, screen 0.925 center font ',16' textcolor rgb '#333333' noenhanced
set lmargin at screen 0.31
set rmargin at screen 0.95
set tmargin at screen 0.87
set bmargin at screen 0.10
set yrange [5.5:-0.5]
set xrange [0:104.103]
set ytics scale 0 font ',16'
set xtics out font ',14'
set xlabel 'Anteil der Kontakte (%)' font ',16'
set grid xtics lc rgb '#d9d9d9' lw 1 dt 1
set grid noytics
set border 1
set xtics 0,20,100
set border 0
set arrow 9 from 0, graph 0 to 100, graph 0 nohead lw 1 lc rgb '#333333' back
plot 'countries.tsv' using ($2/2):0:($2/2):(0.36):yticlabels(1) with boxxyerror fc rgb '#2e75b6', \
     '' using 2:0:3 with labels left offset 0.8,0 font ',15' textcolor rgb '#000000' noenhanced
