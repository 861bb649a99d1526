# netreach chart: cumulative distance from home
# Written by netreach 0.1.0; every name is in the data files. Render: gnuplot -d distance-cdf.gp
# (gnuplot -d -e 'nr_phone = 1' distance-cdf.gp: the small-screen rendering distance-cdf-phone.png)
set encoding utf8
if (!exists("nr_phone")) nr_phone = 0
nr_ph = nr_phone ? 1300 : 1000
if (nr_phone) {
	set terminal pngcairo size 800,1300 font 'DejaVu Sans,16' fontscale 1.5 noenhanced linewidth 2.2
	set output 'distance-cdf-phone.png'
} else {
	set terminal pngcairo size 1600,1000 font 'DejaVu Sans,16' noenhanced linewidth 1.5
	set output 'distance-cdf.png'
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
nr_t = nr_wrap('Wie nah Ihre Kontakte an '.home.' leben', 24)
nr_ty = nr_phone ? 1 - 30.0 / nr_ph : 0.965
nr_top = nr_ty - (nr_lines(nr_t) * 58 - 20.0) / nr_ph
set label 101 nr_t at screen 0.5, screen nr_ty center font ',24' textcolor rgb '#000000' noenhanced
nr_s = nr_wrap('Anteil der Kontakte, die höchstens eine bestimmte Entfernung weit weg leben (logarithmische Skala)', 37)
nr_sy = nr_phone ? nr_top - 10.0 / nr_ph : 0.925
nr_top = nr_sy - (nr_lines(nr_s) * 39 - 10.0) / nr_ph
set label 102 nr_s at screen 0.5, screen nr_sy center font ',16' textcolor rgb '#333333' noenhanced
nr_top = nr_top - 16.0 / nr_ph
set key top left font ',15' box lc rgb '#bbbbbb' opaque
if (nr_phone) {
	set key at screen 0.5, screen nr_top center top font ',13' spacing 2.3 width -4
	nr_top = nr_top - 270.0 / nr_ph
}
set lmargin at screen (nr_phone ? 0.13 : 0.09)
set rmargin at screen (nr_phone ? 0.96 : 0.97)
set bmargin at screen (nr_phone ? 0.2538 : 0.19)
set tmargin at screen (nr_phone ? nr_top : 0.87)
set logscale x 10
set xrange [1:20040]
set yrange [0:105]
set xtics ('1' 1, '10' 10, '100' 100, '1.000' 1000, '10.000' 10000) out font ',14'
set mxtics 10
set ytics 0,20,100 out font ',14'
set xlabel nr_wrap('Entfernung vom Heimatort (km, logarithmisch; unter 1 km bei 1 km gezeichnet)', 41) font ',16'
set ylabel nr_wrap('Kontakte, die höchstens so weit entfernt leben (%)', 41) font ',16'
set grid xtics ytics lc rgb '#d9d9d9' lw 1 dt 1
set arrow 1 from 50, graph 0 to 50, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set arrow 2 from 160.9344, graph 0 to 160.9344, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set arrow 3 from 800, graph 0 to 800, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set arrow 4 from 3000, graph 0 to 3000, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'
set label 11 '50 km' at 50, graph 0.03 right offset -0.5,0 font ',13' textcolor rgb '#555555'
set label 12 '161 km (100 Meilen)' at 160.9344, graph (nr_phone ? 0.09 : 0.03) left offset 0.5,0 font ',13' textcolor rgb '#555555'
set label 13 '800 km' at 800, graph 0.03 left offset 0.5,0 font ',13' textcolor rgb '#555555'
set label 17 '3.000 km' at 3000, graph 0.03 left offset 0.5,0 font ',13' textcolor rgb '#555555'
set label 14 nr_wrap('Facebook-Freunde (kein berufliches Netzwerk), durchschnittliches US-County: 62,8 % bis 100 Meilen', 41) at screen 0.5, screen (nr_phone ? 0.1154 : 0.058) center font ',14' textcolor rgb '#000000'
set label 15 nr_wrap('(Bailey et al., "Measuring Social Connectedness", NBER w23608, 2017)', 46) at screen 0.5, screen (nr_phone ? 0.03846 : 0.028) center font ',13' textcolor rgb '#555555'
set object 1 circle at 160.9344, 62.8 size screen 0.011 fc rgb '#000000' fs empty border lc rgb '#000000' lw 2.5 front
set label 16 'Facebook-Freunde: 62,8 %' at 160.9344, 62.8 right offset -1.8,1.2 font ',14' textcolor rgb '#000000' front
plot 'distance-cdf.tsv' using 1:2 with steps lw 3.5 lc rgb '#1f4e79' title nr_wrap('Ihre Kontakte', 24), \
     'distance-cdf-you.tsv' using 1:2 with points pt 7 ps 1.6 lc rgb '#c55a11' title nr_wrap('Ihr Anteil bis 50, 161, 800, 3.000 km', 24), \
     '' using (nr_phone ? nr_off : $1):2:3 with labels left offset 1.2,-1.2 font ',14' textcolor rgb '#c55a11' noenhanced, \
     '' using (nr_phone ? $1 : nr_off):2:(nr_wrap(strcol(3), 11)) with labels center offset 0,-1.5 font ',14' textcolor rgb '#c55a11' noenhanced, \
     NaN with points pt 6 ps 2 lw 2.5 lc rgb '#000000' title nr_wrap('Facebook-Freunde, durchschnittliches US-County (Vergleich)', 24)
