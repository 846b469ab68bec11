using System;
using System.Diagnostics;
using RedisComponents.HelpBuilder;

// Usage: RedisComponents.HelpBuilder <module.dll> <docs/help> <output en-US folder>
if (args.Length != 3)
{
    Console.Error.WriteLine("Usage: RedisComponents.HelpBuilder <RedisComponents.PowerShell.dll> <docs/help folder> <output en-US folder>");
    return 2;
}
var clock = Stopwatch.StartNew();
var exit = HelpBuild.Run(args[0], args[1], args[2], Console.Out);
Console.WriteLine($"Help builder finished in {clock.ElapsedMilliseconds} ms (exit {exit}).");
return exit;
