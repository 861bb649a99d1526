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
set label 101 'Wann Sie sich vernetzt haben' at screen 0.5, screen 0.965 center font ',24' textcolor rgb '#000000' noenhanced
set label 102 'Balken: neue Kontakte je Monat · Linie: Anteil aller bisherigen Kontakte außerhalb von '.home at screen 0.5, screen 0.925 center font ',16' textcolor rgb '#333333' noenhanced
unset border
unset tics
unset xlabel
unset ylabel
set xrange [0:1]
set yrange [0:1]
set label 103 'Der Export enthält keine Vernetzungsdaten, daher gibt es keinen Zeitverlauf zu zeigen.' at graph 0.5, graph 0.5 center font ',20' textcolor rgb '#333333' noenhanced
plot 2 notitle
