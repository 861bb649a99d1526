# netreach chart: Die häufigsten Länder
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d countries.gp
# (gnuplot -d -e 'nr_phone = 1' countries.gp: the small-screen rendering countries-phone.png)
set encoding utf8
if (!exists("nr_phone")) nr_phone = 0
nr_ph = nr_phone ? 1100 : 1000
if (nr_phone) {
	set terminal pngcairo size 800,1100 font 'DejaVu Sans,16' fontscale 1.5 noenhanced linewidth 2.2
	set output 'countries-phone.png'
} else {
	set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
	set output 'countries.png'
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
nr_t = nr_wrap('Die häufigsten Länder', 24)
nr_ty = nr_phone ? 1 - 30.0 / nr_ph : 0.965
nr_top = nr_ty - (nr_lines(nr_t) * 58 - 20.0) / nr_ph
set label 101 nr_t at screen 0.5, screen nr_ty center font ',24' textcolor rgb '#000000' noenhanced
nr_s = nr_wrap('Länder mit den meisten Kontakten (die ersten 15)', 37)
nr_sy = nr_phone ? nr_top - 10.0 / nr_ph : 0.925
nr_top = nr_sy - (nr_lines(nr_s) * 39 - 10.0) / nr_ph
set label 102 nr_s at screen 0.5, screen nr_sy center font ',16' textcolor rgb '#333333' noenhanced
nr_top = nr_top - 16.0 / nr_ph
set lmargin at screen (nr_phone ? 0.03 : 0.31)
set rmargin at screen (nr_phone ? 0.95 : 0.95)
set bmargin at screen (nr_phone ? 0.11 : 0.1)
set tmargin at screen (nr_phone ? nr_top : 0.87)
set yrange [5.5:-0.5]
set xrange [0:104.103]
nr_x0 = 0
set ytics scale 0 font ',16'
nr_name(s) = nr_phone ? '' : s
nr_bar = nr_phone ? 0.2 : 0.36
nr_dy = nr_phone ? 0.15 : 0
set xtics out font ',14'
set xlabel nr_wrap('Anteil der Kontakte (%)', 41) font ',16'
set grid xtics lc rgb '#d9d9d9' lw 1 dt 1
set grid noytics
set border 1
set xtics 0,20,100
set border 0
set arrow 9 from 0, graph 0 to 100, graph 0 nohead lw 1 lc rgb '#333333' back
nr_xr = 100
if (nr_phone) set xrange [0:nr_xr]
plot 'countries.tsv' using ($2/2):($0 + nr_dy):($2/2):(nr_bar):yticlabels(nr_name(strcol(1))) with boxxyerror fc rgb '#2e75b6', \
     '' using (nr_phone ? nr_off : $2):0:3 with labels left offset 0.8,0 font ',15' textcolor rgb '#000000' noenhanced, \
     '' using (nr_phone ? nr_x0 : nr_off):($0 - 0.28):1 with labels left font ',14' textcolor rgb '#333333' noenhanced, \
     '' using (nr_phone ? nr_xr : nr_off):($0 - 0.28):3 with labels right font ',14' textcolor rgb '#000000' noenhanced
