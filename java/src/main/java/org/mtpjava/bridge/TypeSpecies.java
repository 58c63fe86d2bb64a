package org.mtpjava.bridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mtpjava.model.Potential;

/**
 * LAMMPS atom type -> species index of the potential, from the per-type entries of
 * {@code pair_coeff * * file e_1 ... e_N}. An entry is either a species index 0..S-1 (as LAMMPS ML-MTP takes
 * it) or an element name. MTP files carry no element names, so names need to be declared with
 * {@code pair_style mtpjava species <name of species 0> <name of species 1> ...}, unless the potential's species
 * labels are atomic numbers (MLIP-3 potentials trained with absolute types), which name the elements by
 * themselves.
 */
public final class TypeSpecies {
    private static final List<String> ELEMENTS = List.of((
            "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr "
            + "Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb "
            + "Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf "
            + "Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og").split(" "));

    private final int[] speciesOfType; // index = LAMMPS type (1-based); [0] unused
    private final String[] names;      // per species, for messages; may be null entries

    private TypeSpecies(int[] speciesOfType, String[] names) {
        this.speciesOfType = speciesOfType;
        this.names = names;
    }

    /** Species of LAMMPS type t (1..ntypes); an array index error for an impossible type. */
    public int species(int type) { return speciesOfType[type]; }

    public int typeCount() { return speciesOfType.length - 1; }

    /** The map as an array indexed by LAMMPS type (entry 0 unused). */
    int[] table() { return speciesOfType; }

    /** "1->Mo(1) 2->Nb(0)" for the log. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int t = 1; t < speciesOfType.length; t++) {
            int s = speciesOfType[t];
            if (t > 1) sb.append(' ');
            sb.append(t).append("->");
            if (names[s] != null) sb.append(names[s]).append('(').append(s).append(')');
            else sb.append("species ").append(s);
        }
        return sb.toString();
    }

    /**
     * @param p            the potential
     * @param file         its file name, for messages
     * @param speciesNames names of the potential's species in index order (from {@code species}), or null
     * @param typeTokens   the ntypes per-type entries of pair_coeff
     * @throws IllegalArgumentException with a message fit for the LAMMPS error line
     */
    public static TypeSpecies parse(Potential p, String file, String speciesNames, String typeTokens, int ntypes) {
        int s = p.speciesCount();
        String[] tokens = typeTokens == null || typeTokens.isBlank() ? new String[0] : typeTokens.trim().split("\\s+");
        if (tokens.length != ntypes) {
            throw new IllegalArgumentException("pair_coeff * * " + file + " needs " + ntypes + " species entries, one per "
                    + "atom type, but got " + tokens.length);
        }
        String[] names = new String[s];
        boolean declared = false;
        if (speciesNames != null && !speciesNames.isBlank()) {
            String[] given = speciesNames.trim().split("\\s+");
            if (given.length != s) {
                throw new IllegalArgumentException("pair_style mtpjava species lists " + given.length + " names ("
                        + String.join(" ", given) + ") but " + file + " has " + s + " species");
            }
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < a; b++) {
                    if (given[a].equals(given[b])) throw new IllegalArgumentException("pair_style mtpjava species names " + given[a] + " twice");
                }
                names[a] = given[a];
            }
            declared = true;
        } else {
            // labels that are atomic numbers name the elements themselves
            int[] labels = p.speciesLabels();
            boolean identity = true, atomic = true;
            for (int a = 0; a < s; a++) {
                if (labels[a] != a) identity = false;
                if (labels[a] < 1 || labels[a] > ELEMENTS.size()) atomic = false;
            }
            if (!identity && atomic) {
                for (int a = 0; a < s; a++) names[a] = ELEMENTS.get(labels[a] - 1);
                declared = true;
            }
        }

        int[] map = new int[ntypes + 1];
        Arrays.fill(map, -1);
        List<String> problems = new ArrayList<>();
        for (int t = 1; t <= ntypes; t++) {
            String tok = tokens[t - 1];
            if (tok.equalsIgnoreCase("NULL")) {
                problems.add("type " + t + " is NULL, but mtpjava evaluates every atom: give each type a species");
                continue;
            }
            if (tok.matches("-?\\d+")) {
                int idx;
                try {
                    idx = Integer.parseInt(tok);
                } catch (NumberFormatException e) {
                    idx = -1;
                }
                if (idx < 0 || idx >= s) {
                    problems.add("type " + t + ": species index " + tok + " is outside 0.." + (s - 1) + " (" + file + " has "
                            + s + " species)");
                } else {
                    map[t] = idx;
                }
                continue;
            }
            if (!declared) {
                problems.add("type " + t + ": '" + tok + "' is a name, but " + file + " carries no element names (its species "
                        + "are 0.." + (s - 1) + "); declare them with pair_style mtpjava species <name of species 0> ... "
                        + "<name of species " + (s - 1) + ">, or give species indices");
                continue;
            }
            int found = -1;
            for (int a = 0; a < s; a++) if (tok.equals(names[a])) found = a;
            if (found < 0) {
                problems.add("type " + t + ": element " + tok + " is not a species of " + file + " (species: "
                        + String.join(" ", names) + ")");
            } else {
                map[t] = found;
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return new TypeSpecies(map, names);
    }
}
