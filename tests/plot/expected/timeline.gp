# netreach chart: connections over time
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d timeline.gp
set encoding utf8
set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
set output 'timeline.png'
set termoption noenhanced
set datafile separator "\t"
set datafile commentschars ''
set datafile missing ''
set border 3 lw 1 lc rgb '#333333'
set tics nomirror textcolor rgb '#333333'
set style fill solid 1.0 noborder
set key noautotitle
stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), home_country = strcol(3), home_continent = strcol(4), 0) nooutput
set label 101 'When you connected' at screen 0.5, screen 0.965 center font ',24' textcolor rgb '#000000' noenhanced
set label 102 'Bars: connections added per month · Line: share of all your connections so far living beyond '.home at screen 0.5, screen 0.925 center font ',16' textcolor rgb '#333333' noenhanced
set lmargin at screen 0.08
set rmargin at screen 0.92
set tmargin at screen 0.87
set bmargin at screen 0.13
set xdata time
set timefmt '%Y-%m-%d'
set xrange ['2022-12-14':'2023-06-18']
set xtics out font ',14' ("Jan\n2023" '2023-01-01', "Feb\n2023" '2023-02-01', "Mar\n2023" '2023-03-01', "Apr\n2023" '2023-04-01', "May\n2023" '2023-05-01', "Jun\n2023" '2023-06-01')
set yrange [0:53]
set ytics nomirror out font ',14'
set y2range [0:105]
set y2tics 0,20,100 out font ',14'
set border 11
set ylabel 'Connections added per month' font ',16'
set y2label 'Beyond home, cumulative (%)' font ',16'
set grid ytics lc rgb '#d9d9d9' lw 1 dt 1
set boxwidth 2000000 absolute
set key top left font ',15' box lc rgb '#bbbbbb' opaque
plot 'timeline.tsv' using 1:2 with boxes fc rgb '#9dc3e6' title 'Added this month', \
     '' using 1:3 axes x1y2 with linespoints pt 7 ps 1.2 lw 3.5 lc rgb '#c55a11' title 'Beyond home so far (%)'
