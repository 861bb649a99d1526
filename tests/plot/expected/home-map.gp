# netreach chart: map of the home country
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d home-map.gp
# (gnuplot -d -e 'nr_phone = 1' home-map.gp: the small-screen rendering home-map-phone.png)
set encoding utf8
if (!exists("nr_phone")) nr_phone = 0
nr_ph = nr_phone ? 900 : 1000
if (nr_phone) {
	set terminal pngcairo size 800,900 font 'DejaVu Sans,16' fontscale 1.5 noenhanced linewidth 2.2
	set output 'home-map-phone.png'
} else {
	set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
	set output 'home-map.png'
}
nr_w(s, n, line) = strlen(s) == 0 ? line : nr_w2(s, n, line, strstrt(s, ' '))
nr_w2(s, n, line, p) = nr_w3(p ? s[1:p - 1] : s, p ? s[p + 1:] : '', n, line)
nr_w3(wd, rest, n, line) = strlen(line) > 0 && strlen(line) + 1 + strlen(wd) > n ? line."\n".nr_w(rest, n, wd) : nr_w(rest, n, strlen(line) > 0 ? line.' '.wd : wd)
nr_wrap(s, n) = nr_phone ? nr_w(s, n, '') : s
nr_lines(s) = strstrt(s, "\n") ? 1 + nr_lines(s[strstrt(s, "\n") + 1:]) : 1
nr_top = 0.87
nr_off = 1e30
set termoption noenhanced
set datafile separator "\t"
set datafile commentschars ''
set datafile missing ''
set border 3 lw 1 lc rgb '#333333'
set tics nomirror textcolor rgb '#333333'
set style fill solid 1.0 noborder
set key noautotitle
stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), home_country = strcol(3), home_continent = strcol(4), 0) nooutput
nr_t = nr_wrap('Your connections in '.home_country, 24)
nr_ty = nr_phone ? 1 - 30.0 / nr_ph : 0.965
nr_top = nr_ty - (nr_lines(nr_t) * 58 - 20.0) / nr_ph
set label 101 nr_t at screen 0.5, screen nr_ty center font ',24' textcolor rgb '#000000' noenhanced
nr_s = nr_wrap('Each bubble is a town or city; lines are great circles from '.home, 37)
nr_sy = nr_phone ? nr_top - 10.0 / nr_ph : 0.925
nr_top = nr_sy - (nr_lines(nr_s) * 39 - 10.0) / nr_ph
set label 102 nr_s at screen 0.5, screen nr_sy center font ',16' textcolor rgb '#333333' noenhanced
nr_top = nr_top - 16.0 / nr_ph
set xrange [-3334.3:3334.3]
set yrange [-1604.5:1946.7]
stats 'home-map-legend.tsv' using (legend = strcol(1), 0) nooutput
if (nr_phone) {
	nr_h = ceil((1 - nr_top) * nr_ph + 571.5)
	nr_ty = 1 - (1 - nr_ty) * nr_ph / nr_h
	if (exists("nr_sy")) {
		nr_sy = 1 - (1 - nr_sy) * nr_ph / nr_h
		set label 102 at screen 0.5, screen nr_sy
	}
	nr_top = 1 - (1 - nr_top) * nr_ph / nr_h
	nr_ph = nr_h
	set terminal pngcairo size 800,nr_ph font 'DejaVu Sans,16' fontscale 1.5 noenhanced linewidth 2.2
	set output 'home-map-phone.png'
	set label 101 at screen 0.5, screen nr_ty
}
set label 104 nr_wrap(legend, 46) at screen 0.02, screen (nr_phone ? 100.0 / nr_ph : 0.02) left font ',13' textcolor rgb '#333333' noenhanced
set label 105 nr_wrap('Places: GeoNames (CC BY 4.0) · Outlines: Made with Natural Earth', 46) at screen (nr_phone ? 0.02 : 0.98), screen (nr_phone ? 50.0 / nr_ph : 0.02) font ',13' textcolor rgb '#333333'
if (!nr_phone) set label 105 right
unset border
unset tics
unset xlabel
unset ylabel
set size ratio -1
set lmargin at screen (nr_phone ? 0.01 : 0.01)
set rmargin at screen (nr_phone ? 0.99 : 0.99)
set bmargin at screen (nr_phone ? 0.1667 : 0.055)
set tmargin at screen (nr_phone ? nr_top : 0.89)
if (nr_phone) set bmargin at screen 150.0 / nr_ph
set clip two
set style textbox opaque fc rgb '#ffffff' noborder margins 2,1
if (!nr_phone) {
	set multiplot
	set object 1 rectangle from 419.3,573.8 to 891.0,992.2 front fs empty border lc rgb '#333333' lw 1.5
}
plot 'home-map-land.tsv' using 1:2 with filledcurves closed fc rgb '#d6d6d6', \
     '' using 1:2 with lines lw 0.6 lc rgb '#9a9a9a', \
     'home-map-other.tsv' using 1:2 with filledcurves closed fc rgb '#ececec', \
     '' using 1:2 with lines lw 0.6 lc rgb '#b5b5b5', \
     'home-map-lakes.tsv' using 1:2 with filledcurves closed fc rgb '#ffffff', \
     '' using 1:2 with lines lw 0.6 lc rgb '#9a9a9a', \
     'home-map-borders.tsv' using 1:2 with lines lw 1.3 lc rgb '#ffffff', \
     'home-map-rings.tsv' using 1:2 with lines dt (8,6) lw 1.6 lc rgb '#333333', \
     'home-map-arcs.tsv' using 1:2 with lines lw 1.2 lc rgb '#66c55a11', \
     'home-map-places.tsv' using 1:2:3 with circles fc rgb '#2e75b6' fs transparent solid 0.55 border lc rgb '#1f4e79', \
     'home-map-home.tsv' using 1:2 with points pt 5 ps 2.2 lc rgb '#000000', \
     '' using 1:2:3 with labels boxed left offset 1.4,0.9 font ',16' textcolor rgb '#000000' noenhanced, \
     'home-map-labels.tsv' using (nr_phone ? nr_off : $1):2:3 with labels boxed center font ',13' textcolor rgb '#000000' noenhanced
if (!nr_phone) {
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
     'home-map-lakes.tsv' using 1:2 with filledcurves closed fc rgb '#ffffff', \
     '' using 1:2 with lines lw 0.8 lc rgb '#9a9a9a', \
     'home-map-borders.tsv' using 1:2 with lines lw 1.6 lc rgb '#ffffff', \
     'home-map-rings.tsv' using 1:2 with lines dt (8,6) lw 1.6 lc rgb '#333333', \
     'home-map-zoom.tsv' using 1:2:3 with circles fc rgb '#2e75b6' fs transparent solid 0.55 border lc rgb '#1f4e79', \
     'home-map-home.tsv' using 1:2 with points pt 5 ps 2.2 lc rgb '#000000', \
     '' using 1:2:3 with labels boxed left offset 1.4,0.9 font ',16' textcolor rgb '#000000' noenhanced, \
     'home-map-zoom-ringlabels.tsv' using 1:2:3 with labels boxed center font ',13' textcolor rgb '#333333' noenhanced, \
     'home-map-zoom-labels.tsv' using 1:2:3 with labels boxed center font ',13' textcolor rgb '#000000' noenhanced
unset multiplot
}
