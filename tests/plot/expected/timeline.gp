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
nr_t = nr_wrap('When you connected', 24)
nr_ty = nr_phone ? 1 - 30.0 / nr_ph : 0.965
nr_top = nr_ty - (nr_lines(nr_t) * 58 - 20.0) / nr_ph
set label 101 nr_t at screen 0.5, screen nr_ty center font ',24' textcolor rgb '#000000' noenhanced
nr_s = nr_wrap('Bars: connections added per month · Line: share of all your connections so far living beyond '.home, 37)
nr_sy = nr_phone ? nr_top - 10.0 / nr_ph : 0.925
nr_top = nr_sy - (nr_lines(nr_s) * 39 - 10.0) / nr_ph
set label 102 nr_s at screen 0.5, screen nr_sy center font ',16' textcolor rgb '#333333' noenhanced
nr_top = nr_top - 16.0 / nr_ph
set lmargin at screen (nr_phone ? 0.13 : 0.08)
set rmargin at screen (nr_phone ? 0.87 : 0.92)
set bmargin at screen (nr_phone ? 0.14 : 0.13)
set tmargin at screen (nr_phone ? nr_top : 0.87)
set xdata time
set timefmt '%Y-%m-%d'
set xrange ['2022-12-14':'2023-06-18']
set xtics out font ',14' ("Jan\n2023" '2023-01-01', "Feb\n2023" '2023-02-01', "Mar\n2023" '2023-03-01', "Apr\n2023" '2023-04-01', "May\n2023" '2023-05-01', "Jun\n2023" '2023-06-01')
if (nr_phone) set xtics rotate by 60 right
set yrange [0:53]
set ytics nomirror out font ',14'
set y2range [0:105]
set y2tics 0,20,100 out font ',14'
set border 11
set ylabel nr_wrap('Connections added per month', 41) font ',16'
set y2label nr_wrap('Beyond home, cumulative (%)', 41) font ',16'
set grid ytics lc rgb '#d9d9d9' lw 1 dt 1
set boxwidth 2000000 absolute
set key top left font ',15' box lc rgb '#bbbbbb' opaque
plot 'timeline.tsv' using 1:2 with boxes fc rgb '#9dc3e6' title 'Added this month', \
     '' using 1:3 axes x1y2 with linespoints pt 7 ps 1.2 lw 3.5 lc rgb '#c55a11' title 'Beyond home so far (%)'
