using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using RedisComponents.Bench;

// Runs every scenario (or those named) and prints a Markdown table for README.
var quick = args.Contains("--quick");
var wanted = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IScenario).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IScenario)Activator.CreateInstance(t)!)
    .Where(s => wanted.Count == 0 || wanted.Contains(s.Id))
    .OrderBy(s => s.Id, StringComparer.Ordinal)
    .ToList();

var rows = new List<BenchRow>();
foreach (var scenario in scenarios)
{
    Console.Error.WriteLine($"running {scenario.Id}: {scenario.Title}{(quick ? " (quick)" : "")}");
    using var context = new BenchContext(quick);
    rows.AddRange(scenario.Run(context));
}

Console.WriteLine("| Id | Measure | RedisComponents | Baseline | Ratio | Goal | Met |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var r in rows)
{
    Console.WriteLine($"| {r.Id} | {r.Measure} | {r.Ours} | {r.Baseline} | {r.Ratio} | {r.Goal} | {(r.Met is null ? "" : r.Met.Value ? "yes" : "no")} |");
}
return 0;
