using ScottPlot;

namespace Classifier;

/// <summary>
/// Draws the evaluation's figures with ScottPlot, as PNG (for the registry's UI) and SVG (text stays text).
/// The font ships with the sample (fonts/DejaVuSans.ttf): ScottPlot draws no text at all, silently, on a
/// machine without fonts, and a system font could change the pixels from one machine to the next.
/// </summary>
public static class FigureWriter
{
    public const string FontName = "DejaVu Sans";
    private const int Width = 640;
    private const int Height = 480;

    /// <summary>Registers the shipped font as ScottPlot's default; fails when the file is missing.</summary>
    public static void UseShippedFont(string fontPath)
    {
        if (!File.Exists(fontPath))
        {
            throw new FileNotFoundException($"The figures' font is missing: {fontPath}. It ships with the sample under fonts/.", fontPath);
        }

        Fonts.AddFontFile(FontName, fontPath);
        Fonts.Default = FontName;
    }

    /// <summary>Writes <c>&lt;name&gt;.png</c> and <c>&lt;name&gt;.svg</c>; returns both paths.</summary>
    public static IReadOnlyList<string> Write(string directory, string name, string title, string xLabel, string yLabel,
        IReadOnlyList<(double X, double Y)> points, string legend, bool diagonal)
    {
        Directory.CreateDirectory(directory);
        var plot = new Plot();
        var curve = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        curve.LegendText = legend;
        curve.LineWidth = 2;
        if (diagonal)
        {
            var chance = plot.Add.Line(0, 0, 1, 1);
            chance.LinePattern = LinePattern.Dashed;
            chance.LegendText = "chance";
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);

        var png = Path.Combine(directory, name + ".png");
        var svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        if (!File.ReadAllText(svg).Contains("<text", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{svg} has no text: the font '{FontName}' did not load, so the figures have no labels.");
        }

        return [png, svg];
    }
}
