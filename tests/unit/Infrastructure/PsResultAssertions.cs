using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace RedisComponents.Tests.Infrastructure;

public static class PsResultAssertions
{
    public static T Single<T>(this PsResult result) => Assert.IsType<T>(Assert.Single(result.Output).BaseObject);

    public static List<T> All<T>(this PsResult result) => result.Output.Select(o => Assert.IsType<T>(o.BaseObject)).ToList();

    public static ErrorRecord SingleError(this PsResult result) => Assert.Single(result.Errors);
}
