namespace MlflowMsBuild.EndToEnd.Tests.TestUtilities;

/// <summary>Small generated projects (no ML framework): a trainer whose evaluation writes a model, and a consumer.</summary>
public static class GeneratedProjects
{
    public const string Trainer = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <MlflowEvaluationTarget>Evaluate</MlflowEvaluationTarget>
          </PropertyGroup>
          <Target Name="Evaluate" DependsOnTargets="Build">
            <WriteLinesToFile File="evaluation/model/weights.txt" Lines="0.5;0.25" Overwrite="true" />
            <WriteLinesToFile File="evaluation/metrics.json" Lines="{&quot;test&quot;: {&quot;auc&quot;: 0.9}}" Overwrite="true" />
          </Target>
        </Project>
        """;

    public static string Consumer(string model, string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
          </PropertyGroup>
          <ItemGroup>
            <MlflowModelReference Include="{model}" Version="{version}" />
          </ItemGroup>
        </Project>
        """;
}
