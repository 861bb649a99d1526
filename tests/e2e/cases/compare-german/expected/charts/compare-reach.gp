# netreach chart: reach before and after
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d compare-reach.gp
set encoding utf8
set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
set output 'compare-reach.png'
set termoption noenhanced
set datafile separator "\t"
set datafile commentschars ''
set datafile missing ''
set border 3 lw 1 lc rgb '#333333'
set tics nomirror textcolor rgb '#333333'
set style fill solid 1.0 noborder
set key noautotitle
stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), home_country = strcol(3), home_continent = strcol(4), 0) nooutput
set label 101 'Wie weit Ihr Netzwerk von '.home.' aus reicht, vorher und nachher' at screen 0.5, screen 0.965 center font ',24' textcolor rgb '#000000' noenhanced
set label 102 'Anteil der Kontakte in jedem Ring, im früheren und im späteren Export' at screen 0.5, screen 0.925 center font ',16' textcolor rgb '#333333' noenhanced
set lmargin at screen 0.31
set rmargin at screen 0.95
set tmargin at screen 0.87
set bmargin at screen 0.10
set yrange [5.5:-0.5]
set xrange [0:125]
set ytics scale 0 font ',16'
set xtics out font ',14'
set xlabel 'Anteil der Kontakte (%)' font ',16'
set grid xtics lc rgb '#d9d9d9' lw 1 dt 1
set grid noytics
set border 1
set xtics 0,20,100
set border 0
set arrow 9 from 0, graph 0 to 100, graph 0 nohead lw 1 lc rgb '#333333' back
set key bottom right font ',15' box lc rgb '#bbbbbb' opaque
plot 'compare-reach.tsv' using (0):0:(0):(0):yticlabels(1) with boxxyerror notitle, \
     '' using ($2/2):($0-0.19):($2/2):(0.17) with boxxyerror fc rgb '#e08a2c' fs pattern 4 border lc rgb '#e08a2c' title 'Vorher', \
     '' using ($3/2):($0+0.19):($3/2):(0.17) with boxxyerror fc rgb '#1f4e79' title 'Nachher', \
     '' using 2:($0-0.19):4 with labels left offset 0.6,0 font ',13' textcolor rgb '#555555' noenhanced, \
     '' using 3:($0+0.19):5 with labels left offset 0.6,0 font ',13' textcolor rgb '#000000' noenhanced
