# netreach chart: cumulative distance from home
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d distance-cdf.gp
set encoding utf8
set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
set output 'distance-cdf.png'
set termoption noenhanced
set datafile separator "\t"
set datafile commentschars ''
set datafile missing ''
set border 3 lw 1 lc rgb '#333333'
set tics nomirror textcolor rgb '#333333'
set style fill solid 1.0 noborder
set key noautotitle
stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), home_country = strcol(3), home_continent = strcol(4), 0) nooutput
set label 101 'Wie nah Ihre Kontakte an '.home.' leben' at screen 0.5, screen 0.965 center font ',24' textcolor rgb '#000000' noenhanced
set label 102 'Anteil der Kontakte, die höchstens eine bestimmte Entfernung weit weg leben (logarithmische Skala)' at screen 0.5, screen 0.925 center font ',16' textcolor rgb '#333333' noenhanced
set lmargin at screen 0.09
set rmargin at screen 0.97
set tmargin at screen 0.87
set bmargin at screen 0.19
set logscale x 10
set xrange [1:20040]
set yrange [0:105]
set xtics ('1' 1, '10' 10, '100' 100, '1.000' 1000, '10.000' 10000) out font ',14'
set mxtics 10
set ytics 0,20,100 out font ',14'
set xlabel 'Entfernung vom Heimatort (km, logarithmisch; unter 1 km bei 1 km gezeichnet)' font ',16'
set ylabel 'Kontakte, die höchstens so weit entfernt leben (%)' font ',16'
set grid xtics ytics lc rgb '#d9d9d9' lw 1 dt 1
set arrow 1 from 50, graph 0 to 50, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set arrow 2 from 160.9344, graph 0 to 160.9344, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set arrow 3 from 800, graph 0 to 800, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set arrow 4 from 3000, graph 0 to 3000, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set label 11 '50 km' at 50, graph 0.03 right offset -0.5,0 font ',13' textcolor rgb '#555555'
set label 12 '161 km (100 Meilen)' at 160.9344, graph 0.03 left offset 0.5,0 font ',13' textcolor rgb '#555555'
set label 13 '800 km' at 800, graph 0.03 left offset 0.5,0 font ',13' textcolor rgb '#555555'
set label 17 '3.000 km' at 3000, graph 0.03 left offset 0.5,0 font ',13' textcolor rgb '#555555'
set label 14 'Facebook-Freunde (kein berufliches Netzwerk), durchschnittliches US-County: 62,8 % bis 100 Meilen' at screen 0.5, screen 0.058 center font ',14' textcolor rgb '#000000'
set label 15 '(Bailey et al., "Measuring Social Connectedness", NBER w23608, 2017)' at screen 0.5, screen 0.028 center font ',13' textcolor rgb '#555555'
set object 1 circle at 160.9344, 62.8 size screen 0.011 fc rgb '#000000' fs empty border lc rgb '#000000' lw 2.5 front
set label 16 'Facebook-Freunde: 62,8 %' at 160.9344, 62.8 right offset -1.8,1.2 font ',14' textcolor rgb '#000000' front
set key top left font ',15' box lc rgb '#bbbbbb' opaque
plot 'distance-cdf.tsv' using 1:2 with steps lw 3.5 lc rgb '#1f4e79' title 'Ihre Kontakte', \
     'distance-cdf-you.tsv' using 1:2 with points pt 7 ps 1.6 lc rgb '#c55a11' title 'Ihr Anteil bis 50, 161, 800, 3.000 km', \
     '' using 1:2:3 with labels left offset 1.2,-1.2 font ',14' textcolor rgb '#c55a11' noenhanced, \
     NaN with points pt 6 ps 2 lw 2.5 lc rgb '#000000' title 'Facebook-Freunde, durchschnittliches US-County (Vergleich)'
