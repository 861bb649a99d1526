# netreach chart: connections over time
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d timeline.gp
# (gnuplot -d -e 'nr_phone = 1' timeline.gp: the small-screen rendering timeline-phone.png)
set encoding utf8
if (!exists("nr_phone")) nr_phone = 0
nr_ph = nr_phone ? 1100 : 1000
if (nr_phone) {
	set terminal pngcairo size 800,1100 font 'DejaVu Sans,16' fontscale 1.5 noenhanced linewidth 2.2
	set output 'timeline-phone.png'
} else {
	set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
	set output 'timeline.png'
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
nr_t = nr_wrap('Wann Sie sich vernetzt haben', 24)
nr_ty = nr_phone ? 1 - 30.0 / nr_ph : 0.965
nr_top = nr_ty - (nr_lines(nr_t) * 58 - 20.0) / nr_ph
set label 101 nr_t at screen 0.5, screen nr_ty center font ',24' textcolor rgb '#000000' noenhanced
nr_s = nr_wrap('Balken: neue Kontakte je Monat · Linie: Anteil aller bisherigen Kontakte, die nicht in '.home.' leben', 37)
nr_sy = nr_phone ? nr_top - 10.0 / nr_ph : 0.925
nr_top = nr_sy - (nr_lines(nr_s) * 39 - 10.0) / nr_ph
set label 102 nr_s at screen 0.5, screen nr_sy center font ',16' textcolor rgb '#333333' noenhanced
nr_top = nr_top - 16.0 / nr_ph
unset border
unset tics
unset xlabel
unset ylabel
set xrange [0:1]
set yrange [0:1]
set label 103 'Der Export enthält keine Vernetzungsdaten, daher gibt es keinen Zeitverlauf zu zeigen.' at graph 0.5, graph 0.5 center font ',20' textcolor rgb '#333333' noenhanced
plot 2 notitle
