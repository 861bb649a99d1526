# netreach chart: map of the home country
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d home-map.gp
set encoding utf8
set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
set output 'home-map.png'
set termoption noenhanced
set datafile separator "\t"
set datafile commentschars ''
set datafile missing ''
set border 3 lw 1 lc rgb '#333333'
set tics nomirror textcolor rgb '#333333'
set style fill solid 1.0 noborder
set key noautotitle
stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), home_country = strcol(3), home_continent = strcol(4), 0) nooutput
set label 101 'Your connections in '.home_country at screen 0.5, screen 0.965 center font ',24' textcolor rgb '#000000' noenhanced
set label 102 'Each bubble is a town or city; lines are great circles from '.home at screen 0.5, screen 0.925 center font ',16' textcolor rgb '#333333' noenhanced
set xrange [-3334.3:3334.3]
set yrange [-1604.5:1946.7]
stats 'home-map-legend.tsv' using (legend = strcol(1), 0) nooutput
set label 104 legend at screen 0.02, screen 0.02 left font ',13' textcolor rgb '#333333' noenhanced
set label 105 'Places: GeoNames (CC BY 4.0) · Outlines: Made with Natural Earth' at screen 0.98, screen 0.02 right font ',13' textcolor rgb '#333333'
unset border
unset tics
unset xlabel
unset ylabel
set size ratio -1
set lmargin at screen 0.01
set rmargin at screen 0.99
set tmargin at screen 0.89
set bmargin at screen 0.055
set clip two
set style textbox opaque fc rgb '#ffffff' noborder margins 2,1
set multiplot
set object 1 rectangle from 419.3,573.8 to 891.0,992.2 front fs empty border lc rgb '#333333' lw 1.5
plot 'home-map-land.tsv' using 1:2 with filledcurves closed fc rgb '#d6d6d6', \
     '' using 1:2 with lines lw 0.6 lc rgb '#9a9a9a', \
     'home-map-other.tsv' using 1:2 with filledcurves closed fc rgb '#ececec', \
     '' using 1:2 with lines lw 0.6 lc rgb '#b5b5b5', \
     'home-map-borders.tsv' using 1:2 with lines lw 1.3 lc rgb '#ffffff', \
     'home-map-rings.tsv' using 1:2 with lines dt (8,6) lw 1.6 lc rgb '#333333', \
     'home-map-arcs.tsv' using 1:2 with lines lw 1.2 lc rgb '#66c55a11', \
     'home-map-places.tsv' using 1:2:3 with circles fc rgb '#2e75b6' fs transparent solid 0.55 border lc rgb '#1f4e79', \
     'home-map-home.tsv' using 1:2 with points pt 5 ps 2.2 lc rgb '#000000', \
     '' using 1:2:3 with labels boxed left offset 1.4,0.9 font ',16' textcolor rgb '#000000' noenhanced, \
     'home-map-labels.tsv' using 1:2:3 with labels boxed center font ',13' textcolor rgb '#000000' noenhanced
unset label
unset object
unset key
set size noratio
set lmargin at screen 0.6700
set rmargin at screen 0.9800
set bmargin at screen 0.0750
set tmargin at screen 0.5150
set xrange [419.3:891.0]
set yrange [573.8:992.2]
set border 15 lw 2 lc rgb '#333333'
set object 2 rectangle from graph 0,0 to graph 1,1 behind fc rgb '#ffffff' fs solid 1.0 noborder
set label 201 'Around '.home.' (the box on the map)' at graph 0.02, graph 0.965 left front font ',14' textcolor rgb '#000000' noenhanced
plot 'home-map-other.tsv' using 1:2 with filledcurves closed fc rgb '#ececec', \
     '' using 1:2 with lines lw 0.8 lc rgb '#b5b5b5', \
     'home-map-land.tsv' using 1:2 with filledcurves closed fc rgb '#d6d6d6', \
     '' using 1:2 with lines lw 0.8 lc rgb '#9a9a9a', \
     'home-map-borders.tsv' using 1:2 with lines lw 1.6 lc rgb '#ffffff', \
     'home-map-rings.tsv' using 1:2 with lines dt (8,6) lw 1.6 lc rgb '#333333', \
     'home-map-zoom.tsv' using 1:2:3 with circles fc rgb '#2e75b6' fs transparent solid 0.55 border lc rgb '#1f4e79', \
     'home-map-home.tsv' using 1:2 with points pt 5 ps 2.2 lc rgb '#000000', \
     '' using 1:2:3 with labels boxed left offset 1.4,0.9 font ',16' textcolor rgb '#000000' noenhanced, \
     'home-map-zoom-ringlabels.tsv' using 1:2:3 with labels boxed center font ',13' textcolor rgb '#333333' noenhanced, \
     'home-map-zoom-labels.tsv' using 1:2:3 with labels boxed center font ',13' textcolor rgb '#000000' noenhanced
unset multiplot
