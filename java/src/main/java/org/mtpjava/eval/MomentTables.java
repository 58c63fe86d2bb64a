package org.mtpjava.eval;

import org.mtpjava.model.MomentBasis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Index tables derived once from a {@link MomentBasis} for the kernels that evaluate it (site energies,
 * parameter gradients, tangents): the product list as flat arrays, basic moments grouped by their monomial
 * x^a y^b z^c, and a table of every unit-vector monomial the groups and their gradients need, each entry one
 * multiplication from a parent entry. Immutable; share it between threads.
 */
public final class MomentTables {
    /** Product list: m[timesK[p]] += timesMult[p] * m[timesI[p]] * m[timesJ[p]], in order. */
    public final int[] timesI, timesJ, timesK;
    public final double[] timesMult;
    /** The product list as runs of consecutive entries with the same target: entries runStart[r]..runStart[r+1]-1 add to runTarget[r]. */
    public final int[] runStart, runTarget;
    /** Scalar basis slots. */
    public final int[] mapping;
    /** Radial function, monomial-table entry and group of each basic moment. */
    public final int[] basicMu, basicMono, basicGroup;
    /**
     * Monomial table: entry 0 is 1, entry t > 0 is entry {@code monoParent[t]} times unit-vector component
     * {@code monoAxis[t]}; the last entry ({@code tableSize - 1}) is a constant 0, the "gradient" of a zero
     * exponent.
     */
    public final int tableSize;
    public final int[] monoParent, monoAxis;
    /** Groups: basic moments sharing a monomial; the members of group g are {@code groupStart[g]..groupStart[g+1]-1}. */
    public final int groupCount;
    public final int[] groupMono, groupDx, groupDy, groupDz, groupStart, memberBasic, memberMu;
    /** Exponents a, b, c and rank nu = a + b + c of each group, as doubles for the kernels. */
    public final double[] groupA, groupB, groupC, groupNu;
    /** The same exponents as ints (for kernels that index powers by them), and the largest rank a + b + c. */
    public final int[] groupExpA, groupExpB, groupExpC;
    public final int maxRank;

    public MomentTables(MomentBasis b) {
        int basicCount = b.basicCount();
        int nt = b.timesCount();
        int[] t = b.timesArray();
        timesI = new int[nt];
        timesJ = new int[nt];
        timesK = new int[nt];
        timesMult = new double[nt];
        for (int i = 0; i < nt; i++) {
            timesI[i] = t[4 * i];
            timesJ[i] = t[4 * i + 1];
            timesMult[i] = t[4 * i + 2];
            timesK[i] = t[4 * i + 3];
        }
        int runs = 0;
        for (int i = 0; i < nt; i++) if (i == 0 || timesK[i] != timesK[i - 1]) runs++;
        runStart = new int[runs + 1];
        runTarget = new int[runs];
        for (int i = 0, r = 0; i < nt; i++) {
            if (i == 0 || timesK[i] != timesK[i - 1]) {
                runStart[r] = i;
                runTarget[r++] = timesK[i];
            }
        }
        runStart[runs] = nt;
        mapping = b.scalarMappingArray();
        maxRank = b.maxRank();

        // distinct monomials of the basic moments (groups), then the table closed under parents and gradients
        Map<Long, Integer> groupOf = new HashMap<>();
        List<int[]> groupExp = new ArrayList<>();
        basicGroup = new int[basicCount];
        basicMu = new int[basicCount];
        for (int k = 0; k < basicCount; k++) {
            basicMu[k] = b.basicMu(k);
            int[] e = {b.basicA(k), b.basicB(k), b.basicC(k)};
            Integer g = groupOf.get(key(e));
            if (g == null) {
                g = groupExp.size();
                groupOf.put(key(e), g);
                groupExp.add(e);
            }
            basicGroup[k] = g;
        }
        groupCount = groupExp.size();
        Map<Long, int[]> needed = new HashMap<>();
        for (int[] e : groupExp) {
            addWithAncestors(needed, e);
            for (int a = 0; a < 3; a++) {
                if (e[a] > 0) {
                    int[] d = e.clone();
                    d[a]--;
                    addWithAncestors(needed, d);
                }
            }
        }
        List<int[]> table = new ArrayList<>(needed.values());
        table.sort((x, y) -> {
            int dx = x[0] + x[1] + x[2], dy = y[0] + y[1] + y[2];
            if (dx != dy) return Integer.compare(dx, dy);
            return Long.compare(key(x), key(y));
        });
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < table.size(); i++) index.put(key(table.get(i)), i);
        tableSize = table.size() + 1;
        monoParent = new int[tableSize];
        monoAxis = new int[tableSize];
        for (int i = 1; i < table.size(); i++) {
            int[] e = table.get(i);
            int axis = e[0] > 0 ? 0 : e[1] > 0 ? 1 : 2;
            int[] par = e.clone();
            par[axis]--;
            monoParent[i] = index.get(key(par));
            monoAxis[i] = axis;
        }
        int zero = tableSize - 1;
        basicMono = new int[basicCount];
        for (int k = 0; k < basicCount; k++) basicMono[k] = index.get(key(groupExp.get(basicGroup[k])));
        groupMono = new int[groupCount];
        groupDx = new int[groupCount];
        groupDy = new int[groupCount];
        groupDz = new int[groupCount];
        groupNu = new double[groupCount];
        groupA = new double[groupCount];
        groupB = new double[groupCount];
        groupC = new double[groupCount];
        groupExpA = new int[groupCount];
        groupExpB = new int[groupCount];
        groupExpC = new int[groupCount];
        groupStart = new int[groupCount + 1];
        memberBasic = new int[basicCount];
        memberMu = new int[basicCount];
        int pos = 0;
        for (int g = 0; g < groupCount; g++) {
            int[] e = groupExp.get(g);
            groupMono[g] = index.get(key(e));
            groupDx[g] = e[0] > 0 ? index.get(key(new int[]{e[0] - 1, e[1], e[2]})) : zero;
            groupDy[g] = e[1] > 0 ? index.get(key(new int[]{e[0], e[1] - 1, e[2]})) : zero;
            groupDz[g] = e[2] > 0 ? index.get(key(new int[]{e[0], e[1], e[2] - 1})) : zero;
            groupA[g] = e[0];
            groupB[g] = e[1];
            groupC[g] = e[2];
            groupExpA[g] = e[0];
            groupExpB[g] = e[1];
            groupExpC[g] = e[2];
            groupNu[g] = e[0] + e[1] + e[2];
            groupStart[g] = pos;
            for (int k = 0; k < basicCount; k++) {
                if (basicGroup[k] == g) {
                    memberBasic[pos] = k;
                    memberMu[pos] = basicMu[k];
                    pos++;
                }
            }
        }
        groupStart[groupCount] = pos;
    }

    private static long key(int[] e) { return ((long) e[0] << 40) | ((long) e[1] << 20) | e[2]; }

    private static void addWithAncestors(Map<Long, int[]> set, int[] e) {
        int[] cur = e.clone();
        while (set.putIfAbsent(key(cur), cur.clone()) == null) {
            int axis = cur[0] > 0 ? 0 : cur[1] > 0 ? 1 : cur[2] > 0 ? 2 : -1;
            if (axis < 0) break;
            cur[axis]--;
        }
    }
}
