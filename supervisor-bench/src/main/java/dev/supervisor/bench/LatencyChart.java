package dev.supervisor.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency distributions as a PNG: one panel per scenario, one line per series, latency (log
 * scale) against percentile, so the median sits in the middle and the tail at the right edge.
 */
final class LatencyChart {

    /** HdrHistogram's percentile steps: this many per halving of the distance to 100 %, so the tail is drawn in detail. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private LatencyChart() {
    }

    /** Writes the chart of {@code latencies} (scenario, then series, in nanoseconds) to {@code file}. */
    static void write(Map<String, Map<String, long[]>> latencies, Path file) throws IOException {
        List<XYChart> panels = new ArrayList<>();
        latencies.forEach((scenario, series) -> panels.add(panel(scenario, series)));
        if (panels.isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(panels, panels.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart panel(String scenario, Map<String, long[]> series) {
        XYChart chart = new XYChartBuilder().width(1000).height(480).title("scenario " + scenario + ": latency distribution")
                .xAxisTitle("percentile").yAxisTitle("latency (ms, log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(100.0);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(11f));
        series.forEach((name, nanos) -> {
            List<Double> percentile = new ArrayList<>();
            List<Double> millis = new ArrayList<>();
            for (HistogramIterationValue step : LatencyStats.histogram(nanos).percentiles(TICKS_PER_HALF_DISTANCE)) {
                percentile.add(step.getPercentileLevelIteratedTo());
                millis.add(Math.max(LatencyStats.millis(step.getValueIteratedTo()), 0.001));
            }
            XYSeries line = chart.addSeries(name, percentile, millis);
            line.setMarker(SeriesMarkers.NONE);
        });
        return chart;
    }
}
